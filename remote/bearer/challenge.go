// Package bearer reads WWW-Authenticate challenges, in particular the
// Bearer challenge Exchange and Skype for Business send to an empty
// "Authorization: Bearer" request: it names the server's application id
// (client_id) and the token issuers it trusts (trusted_issuers), which
// proves from outside whether a partner application trust is in place.
package bearer

import (
	"strings"
)

// Challenge is one authentication challenge: a scheme with either
// parameters or a token68 blob.
type Challenge struct {
	Scheme  string            // as sent, e.g. "Bearer", "Negotiate"
	Params  map[string]string // parameter names lowercased
	Token68 string            // e.g. a Negotiate blob
}

// Is reports whether the challenge's scheme is scheme, ignoring case.
func (c Challenge) Is(scheme string) bool { return strings.EqualFold(c.Scheme, scheme) }

// ParseChallenges reads every WWW-Authenticate header value (Go keeps
// repeated headers apart); one value may also hold several challenges
// separated by commas. It never fails: malformed parts are skipped.
func ParseChallenges(values []string) []Challenge {
	var out []Challenge
	for _, v := range values {
		p := parser{s: v}
		out = append(out, p.challenges()...)
	}
	return out
}

type parser struct {
	s string
	i int
}

func (p *parser) eof() bool { return p.i >= len(p.s) }

func (p *parser) skip(set string) {
	for !p.eof() && strings.IndexByte(set, p.s[p.i]) >= 0 {
		p.i++
	}
}

// run advances over bytes accepted by ok and returns them.
func (p *parser) run(ok func(byte) bool) string {
	start := p.i
	for !p.eof() && ok(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i]
}

func isTchar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func isToken68(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~+/", c) >= 0
}

// peekEquals reports whether, after spaces, the next byte is '='.
func (p *parser) peekEquals() bool {
	j := p.i
	for j < len(p.s) && (p.s[j] == ' ' || p.s[j] == '\t') {
		j++
	}
	return j < len(p.s) && p.s[j] == '='
}

func (p *parser) challenges() []Challenge {
	var out []Challenge
	cur := -1
	for {
		p.skip(" \t,")
		if p.eof() {
			return out
		}
		tok := p.run(isTchar)
		if tok == "" {
			p.skipJunk()
			continue
		}
		if p.peekEquals() {
			if cur < 0 { // parameters before any scheme: keep them, nameless
				out = append(out, Challenge{Params: map[string]string{}})
				cur = len(out) - 1
			}
			p.skip(" \t")
			p.i++ // '='
			name, val := strings.ToLower(tok), p.value()
			if _, dup := out[cur].Params[name]; !dup {
				out[cur].Params[name] = val
			}
			continue
		}
		out = append(out, Challenge{Scheme: tok, Params: map[string]string{}})
		cur = len(out) - 1
		out[cur].Token68 = p.token68()
	}
}

// token68 reads a token68 blob right after a scheme, or nothing when what
// follows is a parameter list.
func (p *parser) token68() string {
	start := p.i
	p.skip(" \t")
	blob := p.run(isToken68)
	blob += p.run(func(c byte) bool { return c == '=' })
	end := p.i
	p.skip(" \t")
	if blob != "" && (p.eof() || p.s[p.i] == ',') && strings.Trim(blob, "=") != "" {
		p.i = end
		return blob
	}
	p.i = start
	return ""
}

// value reads a quoted-string (with backslash escapes) or a bare token.
func (p *parser) value() string {
	p.skip(" \t")
	if p.eof() {
		return ""
	}
	if p.s[p.i] != '"' {
		return p.run(func(c byte) bool { return c != ',' && c != ' ' && c != '\t' })
	}
	p.i++
	var b strings.Builder
	for !p.eof() {
		c := p.s[p.i]
		p.i++
		switch {
		case c == '\\' && !p.eof():
			b.WriteByte(p.s[p.i])
			p.i++
		case c == '"':
			return b.String()
		default:
			b.WriteByte(c)
		}
	}
	return b.String() // unterminated: keep what there is
}

// skipJunk passes over a byte that cannot start a token, and anything up
// to the next separator.
func (p *parser) skipJunk() {
	p.i++
	for !p.eof() && p.s[p.i] != ',' && p.s[p.i] != ' ' {
		p.i++
	}
}
