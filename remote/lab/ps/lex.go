package ps

import (
	"fmt"
	"strings"
	"unicode"
)

// The lab's PowerShell is a small subset: enough for the commands the
// procedures, pitfall fixes and checks print. Anything outside it is an
// error that names the construct, never a silent success.

type tokKind int

const (
	tEOF tokKind = iota
	tWord
	tParam  // -Name (Text without the dash); Colon when written -Name:value
	tString // Text is the value; Expand for double-quoted strings
	tVar    // $name (Text without $)
	tMember // .Name right after a value; Call when ( follows at once
	tType   // [System.Convert]
	tStatic // ::Name
	tLParen
	tRParen
	tAtParen // @(
	tAtBrace // @{
	tLBrace
	tRBrace
	tComma
	tPipe
	tEnd // ; or newline
	tAmp // & call operator
	tAssign
)

type token struct {
	kind   tokKind
	text   string
	expand bool // tString / tWord holding $variables to expand
	colon  bool // tParam written -Name:value
	call   bool // tMember followed by (
	pos    int
}

// SyntaxError is a parse failure; the shell reports it like PowerShell's
// ParserError.
type SyntaxError struct {
	Pos int
	Msg string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("At char:%d: %s", e.Pos+1, e.Msg) }

func isSingleQ(r rune) bool {
	return r == '\'' || r == '\u2018' || r == '\u2019' || r == '\u201A' || r == '\u201B'
}
func isDoubleQ(r rune) bool { return r == '"' || r == '\u201C' || r == '\u201D' || r == '\u201E' }

// wordStop ends a bare word.
func wordStop(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune("|;(){},", r) || isSingleQ(r) || isDoubleQ(r)
}

func isIdent(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

func lex(src string) ([]token, error) {
	if i := strings.Index(src, "{{"); i >= 0 {
		return nil, &SyntaxError{i, "The command still holds a template placeholder ({{ ... }}); fill in the value first."}
	}
	if i := strings.IndexAny(src, "<>"); i >= 0 && strings.Contains(src[i:], ">") && !strings.Contains(src, "<#") {
		return nil, &SyntaxError{i, "The command holds a <placeholder>; replace it with the real value first (redirection is not simulated in the lab either)."}
	}
	lx := &lexer{rs: []rune(src)}
	for lx.i < len(lx.rs) {
		if err := lx.step(); err != nil {
			return nil, err
		}
	}
	lx.toks = append(lx.toks, token{kind: tEOF, pos: len(lx.rs)})
	return lx.toks, nil
}

type lexer struct {
	rs   []rune
	i    int
	toks []token
}

func (lx *lexer) at(off int) rune {
	if lx.i+off < len(lx.rs) {
		return lx.rs[lx.i+off]
	}
	return 0
}

func (lx *lexer) emit(t token, width int) {
	t.pos = lx.i
	lx.toks = append(lx.toks, t)
	lx.i += width
}

// afterValue: a '.' or '::' here continues a value (member access).
func (lx *lexer) afterValue() bool {
	if len(lx.toks) == 0 {
		return false
	}
	switch lx.toks[len(lx.toks)-1].kind {
	case tVar, tRParen, tMember, tType, tStatic, tString:
		return true
	}
	return false
}

var punct = map[rune]tokKind{'|': tPipe, '(': tLParen, ')': tRParen, '{': tLBrace, '}': tRBrace, ',': tComma, '\n': tEnd, ';': tEnd}

func (lx *lexer) step() error {
	r, next := lx.at(0), lx.at(1)
	spaceOrEnd := next == 0 || unicode.IsSpace(next)
	switch {
	case r == '`' && (next == '\n' || next == '\r'):
		lx.i += 2
		if lx.at(0) == '\n' {
			lx.i++
		}
	case punct[r] != 0 || r == '|':
		lx.emit(token{kind: punct[r]}, 1)
	case unicode.IsSpace(r):
		lx.i++
	case r == '#' && !lx.afterValue():
		for lx.i < len(lx.rs) && lx.rs[lx.i] != '\n' {
			lx.i++
		}
	case r == '<' && next == '#':
		end := strings.Index(string(lx.rs[lx.i:]), "#>")
		if end < 0 {
			return &SyntaxError{lx.i, "The Block comment <# is not closed with #>."}
		}
		lx.i += len([]rune(string(lx.rs[lx.i:])[:end+2]))
	case r == '@' && next == '(':
		lx.emit(token{kind: tAtParen}, 2)
	case r == '@' && next == '{':
		lx.emit(token{kind: tAtBrace}, 2)
	case r == '&' && spaceOrEnd:
		lx.emit(token{kind: tAmp}, 1)
	case r == '=' && spaceOrEnd:
		lx.emit(token{kind: tAssign}, 1)
	case r == '+' && next == '=' && (lx.i+2 >= len(lx.rs) || unicode.IsSpace(lx.rs[lx.i+2])):
		lx.emit(token{kind: tAssign, text: "+="}, 2)
	case isSingleQ(r) || isDoubleQ(r):
		return lx.str(r)
	case r == '.' && lx.afterValue() && (unicode.IsLetter(next) || next == '_'):
		lx.member()
	case r == ':' && next == ':' && lx.afterValue():
		j := lx.i + 2
		for j < len(lx.rs) && isIdent(lx.rs[j]) {
			j++
		}
		lx.emit(token{kind: tStatic, text: string(lx.rs[lx.i+2 : j])}, j-lx.i)
	case r == '[' && !lx.afterValue():
		return lx.typeLit()
	case r == '$':
		return lx.variable()
	case r == '-' && unicode.IsLetter(next):
		lx.param()
	default:
		lx.word()
	}
	return nil
}

func (lx *lexer) str(r rune) error {
	lexf, expandable := lexSingle, false
	if isDoubleQ(r) {
		lexf, expandable = lexDouble, true
	}
	s, n, err := lexf(lx.rs, lx.i)
	if err != nil {
		return err
	}
	lx.emit(token{kind: tString, text: s, expand: expandable && strings.Contains(s, "$")}, n-lx.i)
	return nil
}

func (lx *lexer) member() {
	j := lx.i + 1
	for j < len(lx.rs) && isIdent(lx.rs[j]) {
		j++
	}
	t := token{kind: tMember, text: string(lx.rs[lx.i+1 : j]), call: j < len(lx.rs) && lx.rs[j] == '('}
	lx.emit(t, j-lx.i)
}

func (lx *lexer) typeLit() error {
	j := lx.i + 1
	for j < len(lx.rs) && (isIdent(lx.rs[j]) || lx.rs[j] == '.') {
		j++
	}
	if j >= len(lx.rs) || lx.rs[j] != ']' || j == lx.i+1 {
		return &SyntaxError{lx.i, "Only type literals like [System.Convert] are simulated in the lab; array indexing and casts are not."}
	}
	lx.emit(token{kind: tType, text: string(lx.rs[lx.i+1 : j])}, j+1-lx.i)
	return nil
}

// variable reads $name; $var\rest (a path built on a variable) in argument
// mode is one expandable word.
func (lx *lexer) variable() error {
	t, n, err := lexVar(lx.rs, lx.i)
	if err != nil {
		return err
	}
	if n < len(lx.rs) && !wordStop(lx.rs[n]) && !strings.ContainsRune(".:[", lx.rs[n]) {
		lx.word()
		return nil
	}
	lx.emit(t, n-lx.i)
	return nil
}

func (lx *lexer) param() {
	j := lx.i + 1
	for j < len(lx.rs) && (isIdent(lx.rs[j]) || lx.rs[j] == '-') {
		j++
	}
	t := token{kind: tParam, text: string(lx.rs[lx.i+1 : j])}
	if j < len(lx.rs) && lx.rs[j] == ':' {
		t.colon = true
		j++
	}
	lx.emit(t, j-lx.i)
}

func (lx *lexer) word() {
	j := lx.i
	for j < len(lx.rs) && !wordStop(lx.rs[j]) {
		j++
	}
	w := string(lx.rs[lx.i:j])
	lx.emit(token{kind: tWord, text: w, expand: strings.Contains(w, "$")}, j-lx.i)
}

func lexSingle(rs []rune, i int) (string, int, error) {
	var b strings.Builder
	j := i + 1
	for j < len(rs) {
		if isSingleQ(rs[j]) {
			if j+1 < len(rs) && isSingleQ(rs[j+1]) {
				b.WriteRune(rs[j+1])
				j += 2
				continue
			}
			return b.String(), j + 1, nil
		}
		b.WriteRune(rs[j])
		j++
	}
	return "", 0, &SyntaxError{i, "The string is missing the terminator: '."}
}

// lexDouble keeps $variables for later expansion and applies backtick
// escapes. $( ) subexpressions inside strings are not simulated.
func lexDouble(rs []rune, i int) (string, int, error) {
	var b strings.Builder
	j := i + 1
	for j < len(rs) {
		r := rs[j]
		switch {
		case r == '`' && j+1 < len(rs):
			esc := map[rune]string{'n': "\n", 't': "\t", 'r': "\r", '0': "", '`': "`", '"': "\"", '$': "\x00"}
			if s, ok := esc[rs[j+1]]; ok {
				b.WriteString(s)
			} else {
				b.WriteRune(rs[j+1])
			}
			j += 2
			continue
		case isDoubleQ(r):
			if j+1 < len(rs) && isDoubleQ(rs[j+1]) {
				b.WriteRune('"')
				j += 2
				continue
			}
			return b.String(), j + 1, nil
		case r == '$' && j+1 < len(rs) && rs[j+1] == '(':
			return "", 0, &SyntaxError{j, "Subexpressions $( ) inside strings are not simulated in the lab."}
		}
		b.WriteRune(r)
		j++
	}
	return "", 0, &SyntaxError{i, `The string is missing the terminator: ".`}
}

func lexVar(rs []rune, i int) (token, int, error) {
	j := i + 1
	if j < len(rs) && rs[j] == '{' {
		end := j + 1
		for end < len(rs) && rs[end] != '}' {
			end++
		}
		if end >= len(rs) {
			return token{}, 0, &SyntaxError{i, "Missing closing '}' in the ${...} variable name."}
		}
		return token{kind: tVar, text: string(rs[j+1 : end]), pos: i}, end + 1, nil
	}
	for j < len(rs) && (isIdent(rs[j]) || (rs[j] == ':' && j+1 < len(rs) && isIdent(rs[j+1]) && strings.EqualFold(string(rs[i+1:j]), "env"))) {
		j++
	}
	if j == i+1 {
		if j < len(rs) && rs[j] == '_' {
			return token{kind: tVar, text: "_", pos: i}, j + 1, nil
		}
		return token{}, 0, &SyntaxError{i, "A variable name is missing after '$'."}
	}
	return token{kind: tVar, text: string(rs[i+1 : j]), pos: i}, j, nil
}
