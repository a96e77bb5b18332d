package ps

import (
	"strconv"
	"strings"
)

// Expressions: operators, values, member access, method calls.

var binOps = map[string]int{"and": 1, "or": 1, "eq": 2, "ne": 2, "like": 2, "notlike": 2, "match": 2, "in": 2,
	"notin": 2, "contains": 2, "notcontains": 2, "gt": 2, "lt": 2, "ge": 2, "le": 2, "replace": 2,
	"ieq": 2, "ine": 2, "ceq": 2}

// expression parses operators: comparisons bind tighter than -and / -or.
func (p *parser) expression() (expr, error) {
	return p.binary(1)
}

func (p *parser) binary(level int) (expr, error) {
	var left expr
	var err error
	if level == 1 {
		left, err = p.binary(2)
	} else {
		left, err = p.unary()
	}
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != tParam || binOps[strings.ToLower(t.text)] != level {
			return left, nil
		}
		p.next()
		var right expr
		if level == 1 {
			right, err = p.binary(2)
		} else {
			right, err = p.unaryList()
		}
		if err != nil {
			return nil, err
		}
		left = &binExpr{op: strings.ToLower(t.text), l: left, r: right}
	}
}

// unaryList reads the right side of a comparison, which may be a comma list
// (-replace 'a', 'b'; -in 'x', 'y').
func (p *parser) unaryList() (expr, error) {
	first, err := p.unary()
	if err != nil || p.peek().kind != tComma {
		return first, err
	}
	items := []expr{first}
	for p.peek().kind == tComma {
		p.next()
		v, err := p.unary()
		if err != nil {
			return nil, err
		}
		items = append(items, v)
	}
	return &arrayExpr{items: items}, nil
}

func (p *parser) unary() (expr, error) {
	if t := p.peek(); t.kind == tParam && strings.EqualFold(t.text, "not") {
		p.next()
		e, err := p.unary()
		return &notExpr{e}, err
	}
	return p.primary(false)
}

// primary reads a value and its member accesses. In argument mode a bare
// word is a string.
func (p *parser) primary(argMode bool) (expr, error) {
	t := p.next()
	var e expr
	switch t.kind {
	case tString:
		if t.expand {
			e = &strExpr{raw: t.text}
		} else {
			e = &litExpr{strings.ReplaceAll(t.text, "\x00", "$")}
		}
	case tWord:
		if n, err := strconv.ParseInt(t.text, 10, 64); err == nil {
			e = &litExpr{n}
		} else if !argMode {
			return nil, p.errf(t, "Unexpected token '%s' in expression or statement.", t.text)
		} else if t.expand {
			e = &strExpr{raw: t.text}
		} else {
			e = &litExpr{t.text}
		}
	case tParam:
		if !argMode {
			return nil, p.errf(t, "Unexpected token '-%s' in expression or statement.", t.text)
		}
		e = &litExpr{"-" + t.text}
	case tVar:
		e = &varExpr{name: t.text}
	case tType:
		e = &typeExpr{name: t.text}
		if k := p.peek().kind; k == tString || k == tVar || k == tLParen { // [guid]'…' cast
			v, err := p.primary(false)
			if err != nil {
				return nil, err
			}
			e = &castExpr{typ: t.text, e: v}
		}
	case tLParen:
		pl, err := p.pipeline()
		if err != nil {
			return nil, err
		}
		if p.peek().kind != tRParen {
			return nil, p.errf(p.peek(), "Missing closing ')' in expression.")
		}
		p.next()
		e = &subExpr{pl}
	case tAtParen:
		items, err := p.arrayBody()
		if err != nil {
			return nil, err
		}
		e = &arrayExpr{items: items}
	case tLBrace:
		body, err := p.statements(tRBrace)
		if err != nil {
			return nil, err
		}
		p.next()
		e = &blockExpr{body}
	case tAtBrace:
		h := &hashExpr{}
		for {
			k := p.next()
			switch k.kind {
			case tEnd:
				continue
			case tRBrace:
				e = h
			case tWord, tString:
				if p.peek().kind != tAssign || p.peek().text != "" {
					return nil, p.errf(p.peek(), "Missing '=' operator after key in hash literal.")
				}
				p.next()
				v, err := p.pipeline()
				if err != nil {
					return nil, err
				}
				h.keys, h.vals = append(h.keys, k.text), append(h.vals, v)
				continue
			default:
				return nil, p.errf(k, "Missing key before '=' in hash literal.")
			}
			break
		}
	default:
		return nil, p.errf(t, "Unexpected token %s in expression or statement.", describe(t))
	}
	return p.members(e)
}

func (p *parser) arrayBody() ([]expr, error) {
	var items []expr
	for {
		t := p.peek()
		switch t.kind {
		case tRParen:
			p.next()
			return items, nil
		case tComma, tEnd:
			p.next()
			continue
		case tEOF:
			return nil, p.errf(t, "Missing closing ')' in subexpression.")
		}
		if t.kind != tWord || func() bool { _, err := strconv.ParseInt(t.text, 10, 64); return err != nil }() {
			// A command, or a value piped on: @($x | Where-Object { … }).
			pl, err := p.pipeline()
			if err != nil {
				return nil, err
			}
			items = append(items, &subExpr{pl})
			continue
		}
		v, err := p.expression()
		if err != nil {
			return nil, err
		}
		items = append(items, v)
	}
}

func (p *parser) members(e expr) (expr, error) {
	for {
		t := p.peek()
		switch t.kind {
		case tMember:
			p.next()
			m := &memberExpr{obj: e, name: t.text, call: t.call}
			if t.call {
				args, err := p.callArgs()
				if err != nil {
					return nil, err
				}
				m.args = args
			}
			e = m
		case tStatic:
			ty, ok := e.(*typeExpr)
			if !ok {
				return nil, p.errf(t, "'::' must follow a type name.")
			}
			p.next()
			s := &staticExpr{typ: ty.name, name: t.text}
			if p.peek().kind == tLParen {
				s.call = true
				args, err := p.callArgs()
				if err != nil {
					return nil, err
				}
				s.args = args
			}
			e = s
		default:
			return e, nil
		}
	}
}

func (p *parser) callArgs() ([]expr, error) {
	if t := p.next(); t.kind != tLParen {
		return nil, p.errf(t, "Missing '(' after the method name.")
	}
	var args []expr
	for {
		t := p.peek()
		switch t.kind {
		case tRParen:
			p.next()
			return args, nil
		case tComma:
			p.next()
			continue
		case tEOF, tEnd:
			return nil, p.errf(t, "Missing closing ')' in method call.")
		}
		v, err := p.expression()
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
}
