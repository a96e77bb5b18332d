package ps

import (
	"fmt"
	"strconv"
	"strings"
)

type stmt struct {
	assign string // variable name for `$x = …`, or ""
	add    bool   // `$x += …`: append to the variable
	pipe   *pipeline
	// if (cond) { then } else { other }
	cond      *pipeline
	then, els []*stmt
	throw     bool // `throw <pipe>`
	hasElse   bool
}

type pipeline struct{ elems []*element }

type element struct {
	cmd  *command
	expr expr
}

type command struct {
	name    string // as written
	nameVal expr   // for `& <expr>`
	args    []arg
	pos     int
}

// arg is a -Param (possibly with a value bound by colon) or a positional value.
type arg struct {
	param string // "" for a positional value
	colon bool
	val   expr // nil for a bare -Param
}

type expr interface{}

type (
	litExpr    struct{ v Value }
	strExpr    struct{ raw string } // expandable
	varExpr    struct{ name string }
	memberExpr struct {
		obj  expr
		name string
		call bool
		args []expr
	}
	staticExpr struct {
		typ, name string
		call      bool
		args      []expr
	}
	typeExpr  struct{ name string }
	subExpr   struct{ pipe *pipeline }
	arrayExpr struct{ items []expr }
	// hashExpr is a hash table literal @{ Key = value; … }.
	hashExpr struct {
		keys []string
		vals []*pipeline
	}
	blockExpr struct{ body []*stmt }
	binExpr   struct {
		op   string
		l, r expr
	}
	notExpr  struct{ e expr }
	castExpr struct {
		typ string
		e   expr
	}
)

type parser struct {
	toks []token
	i    int
}

// Script is a parsed script, ready to run.
type Script struct{ body []*stmt }

// Parse reads a script in the PowerShell subset; an error is a *SyntaxError.
func Parse(src string) (Script, error) {
	toks, err := lex(src)
	if err != nil {
		return Script{}, err
	}
	p := &parser{toks: toks}
	body, err := p.statements(tEOF)
	if err != nil {
		return Script{}, err
	}
	return Script{body}, nil
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) next() token { t := p.toks[p.i]; p.i++; return t }

func (p *parser) errf(t token, format string, a ...any) error {
	return &SyntaxError{t.pos, fmt.Sprintf(format, a...)}
}

var unsupportedKeywords = map[string]bool{"foreach": true, "for": true, "while": true, "function": true,
	"try": true, "switch": true, "do": true, "param": true, "return": true, "trap": true}

// statements parses until the closing token (tEOF or tRBrace).
func (p *parser) statements(until tokKind) ([]*stmt, error) {
	var out []*stmt
	for {
		t := p.peek()
		switch t.kind {
		case tEnd:
			p.next()
			continue
		case until:
			return out, nil
		case tEOF:
			return nil, p.errf(t, "Missing closing '}' in statement Block.")
		}
		s, err := p.statement()
		if err != nil {
			return nil, err
		}
		out = append(out, s)
		if k := p.peek().kind; k != tEnd && k != until {
			return nil, p.errf(p.peek(), "Unexpected token %s in expression or statement.", describe(p.peek()))
		}
	}
}

func describe(t token) string {
	switch t.kind {
	case tRParen:
		return "')'"
	case tRBrace:
		return "'}'"
	case tEOF:
		return "end of input"
	}
	return fmt.Sprintf("'%s'", t.text)
}

func (p *parser) statement() (*stmt, error) {
	s := &stmt{}
	t := p.peek()
	if t.kind == tWord && unsupportedKeywords[strings.ToLower(t.text)] {
		return nil, p.errf(t, "'%s' statements are not simulated in the lab; run the commands one by one.", t.text)
	}
	if t.kind == tWord && strings.EqualFold(t.text, "if") {
		return p.ifStatement()
	}
	if t.kind == tWord && strings.EqualFold(t.text, "throw") {
		p.next()
		pl, err := p.pipeline()
		if err != nil {
			return nil, err
		}
		return &stmt{throw: true, pipe: pl}, nil
	}
	if t.kind == tVar && p.toks[p.i+1].kind == tAssign {
		s.assign = t.text
		s.add = p.toks[p.i+1].text == "+="
		p.i += 2
	}
	pl, err := p.pipeline()
	if err != nil {
		return nil, err
	}
	s.pipe = pl
	return s, nil
}

func (p *parser) pipeline() (*pipeline, error) {
	pl := &pipeline{}
	for {
		el, err := p.element()
		if err != nil {
			return nil, err
		}
		pl.elems = append(pl.elems, el)
		if p.peek().kind != tPipe {
			return pl, nil
		}
		p.next()
		for p.peek().kind == tEnd { // a pipe may end a line
			p.next()
		}
	}
}

func (p *parser) element() (*element, error) {
	t := p.peek()
	switch t.kind {
	case tAmp:
		p.next()
		target, err := p.argValue()
		if err != nil {
			return nil, err
		}
		c := &command{nameVal: target, pos: t.pos}
		return &element{cmd: c}, p.args(c)
	case tWord:
		if _, err := strconv.ParseFloat(t.text, 64); err != nil {
			p.next()
			c := &command{name: t.text, pos: t.pos}
			return &element{cmd: c}, p.args(c)
		}
	case tEnd, tEOF, tPipe, tRParen, tRBrace:
		return nil, p.errf(t, "An empty pipe element is not allowed.")
	}
	e, err := p.expression()
	if err != nil {
		return nil, err
	}
	return &element{expr: e}, nil
}

func (p *parser) args(c *command) error {
	for {
		t := p.peek()
		switch t.kind {
		case tEnd, tEOF, tPipe, tRParen, tRBrace:
			return nil
		case tParam:
			p.next()
			a := arg{param: t.text, colon: t.colon}
			if t.colon {
				v, err := p.argValue()
				if err != nil {
					return err
				}
				a.val = v
			}
			c.args = append(c.args, a)
		default:
			v, err := p.argValue()
			if err != nil {
				return err
			}
			c.args = append(c.args, arg{val: v})
		}
	}
}

// argValue reads one argument-mode value, with a trailing comma list.
func (p *parser) argValue() (expr, error) {
	first, err := p.primary(true)
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tComma {
		return first, nil
	}
	items := []expr{first}
	for p.peek().kind == tComma {
		p.next()
		v, err := p.primary(true)
		if err != nil {
			return nil, err
		}
		items = append(items, v)
	}
	return &arrayExpr{items: items}, nil
}

// ifStatement parses `if (cond) { … }` with an optional `else { … }`.
func (p *parser) ifStatement() (*stmt, error) {
	p.next()
	if p.peek().kind != tLParen {
		return nil, p.errf(p.peek(), "Missing '(' after 'if' in if statement.")
	}
	p.next()
	cond, err := p.pipeline()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tRParen {
		return nil, p.errf(p.peek(), "Missing closing ')' after expression in 'if' statement.")
	}
	p.next()
	Block := func() ([]*stmt, error) {
		if p.peek().kind != tLBrace {
			return nil, p.errf(p.peek(), "Missing statement Block after if ( condition ).")
		}
		p.next()
		body, err := p.statements(tRBrace)
		if err != nil {
			return nil, err
		}
		p.next()
		return body, nil
	}
	s := &stmt{cond: cond}
	if s.then, err = Block(); err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == tWord && strings.EqualFold(t.text, "else") {
		p.next()
		s.hasElse = true
		if s.els, err = Block(); err != nil {
			return nil, err
		}
	}
	return s, nil
}
