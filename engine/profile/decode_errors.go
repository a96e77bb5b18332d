package profile

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/ucpilot/ucpilot/internal/safetext"
)

// unknownField matches the YAML library's strict-mode message.
var unknownField = regexp.MustCompile(`^line (\d+): field (\S+) not found in type profile\.(\w+)$`)

// sections maps the profile's Go types to where they sit in the file, so an
// unknown key is named the way the user wrote it.
var sections = map[string]struct {
	path string
	typ  reflect.Type
}{
	"Profile":     {"", reflect.TypeOf(Profile{})},
	"Exchange":    {"exchange.", reflect.TypeOf(Exchange{})},
	"SfB":         {"sfb.", reflect.TypeOf(SfB{})},
	"TLS":         {"tls.", reflect.TypeOf(TLS{})},
	"DNS":         {"dns.", reflect.TypeOf(DNS{})},
	"ShellConfig": {"exchange.shell / sfb.shell: ", reflect.TypeOf(ShellConfig{})},
	"JumpConfig":  {"shell.jump: ", reflect.TypeOf(JumpConfig{})},
}

// typeMismatch and duplicateKey match the YAML library's other messages.
var (
	typeMismatch = regexp.MustCompile("(?s)^line (\\d+): cannot unmarshal !!(\\w+)(?: `(.*)`)? into (\\S+)$")
	duplicateKey = regexp.MustCompile(`(?s)^line (\d+): mapping key "(.*)" already defined at line (\d+)$`)
)

// explainDecode rewrites the YAML library's errors into what a user can act
// on: the line, the key as written (exchange.shell.port), and what the key
// takes or the keys that are allowed there — never a Go type name, and
// never a long value whole.
func explainDecode(name string, data []byte, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return fmt.Errorf("profile %s is not valid YAML: %s", name, shortText(err.Error()))
	}
	var root yaml.Node
	_ = yaml.Unmarshal(data, &root) // best effort: it only names keys
	var lines []string
	onlyUnknown := true
	for _, e := range te.Errors {
		if m := unknownField.FindStringSubmatch(e); m != nil {
			if sec, ok := sections[m[3]]; ok {
				lines = append(lines, fmt.Sprintf("  line %s: unknown key %s%s (the keys there are: %s)",
					m[1], sec.path, m[2], strings.Join(yamlKeys(sec.typ), ", ")))
				continue
			}
		}
		onlyUnknown = false
		if m := duplicateKey.FindStringSubmatch(e); m != nil {
			line := atoi(m[1])
			key := m[2]
			if path, _ := keyAt(&root, line, yaml.ScalarNode, true); path != "" {
				key = path
			}
			lines = append(lines, fmt.Sprintf("  line %s: %s is given twice (first at line %s): keep one", m[1], shortText(key), m[3]))
			continue
		}
		if m := typeMismatch.FindStringSubmatch(e); m != nil {
			line := atoi(m[1])
			path, typ := keyAt(&root, line, nodeKind(m[2]), false)
			if path == "" {
				lines = append(lines, fmt.Sprintf("  line %s: a value of the wrong kind (%s)", m[1], takes(nil)))
				continue
			}
			got := "a " + kindName(m[2])
			if m[3] != "" {
				got = shortQuote(m[3])
			}
			lines = append(lines, fmt.Sprintf("  line %s: %s takes %s, not %s", m[1], path, takes(typ), got))
			continue
		}
		lines = append(lines, "  "+shortText(e))
	}
	if onlyUnknown {
		return fmt.Errorf("profile %s has keys ucpilot does not know (a typo?):\n%s", name, strings.Join(lines, "\n"))
	}
	return fmt.Errorf("profile %s has entries ucpilot cannot read:\n%s", name, strings.Join(lines, "\n"))
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

func nodeKind(tag string) yaml.Kind {
	switch tag {
	case "seq":
		return yaml.SequenceNode
	case "map":
		return yaml.MappingNode
	}
	return yaml.ScalarNode
}

func kindName(tag string) string {
	switch tag {
	case "seq":
		return "list"
	case "map":
		return "section of keys"
	}
	return "value"
}

// keyAt finds the key whose value (or, with atKey, the key itself) is a
// node of kind on line, and returns its dotted path and the Go type the
// profile gives it (nil when the key is not the profile's).
func keyAt(root *yaml.Node, line int, kind yaml.Kind, atKey bool) (string, reflect.Type) {
	var found string
	var foundType reflect.Type
	var walk func(n *yaml.Node, path string, t reflect.Type)
	walk = func(n *yaml.Node, path string, t reflect.Type) {
		for t != nil && t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path, t)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				p := k.Value
				if path != "" {
					p = path + "." + k.Value
				}
				ct := fieldType(t, k.Value)
				if atKey && k.Line == line {
					found, foundType = p, ct
				}
				if !atKey && v.Line == line && v.Kind == kind {
					found, foundType = p, ct // deeper matches overwrite: the innermost key wins
				}
				walk(v, p, ct)
			}
		case yaml.SequenceNode:
			var et reflect.Type
			if t != nil && t.Kind() == reflect.Slice {
				et = t.Elem()
			}
			for _, c := range n.Content {
				if !atKey && c.Line == line && c.Kind == kind && found == "" {
					found, foundType = path+"[]", et
				}
				walk(c, path+"[]", et)
			}
		}
	}
	walk(root, "", reflect.TypeOf(Profile{}))
	return found, foundType
}

// fieldType is the type of the struct field with YAML key key.
func fieldType(t reflect.Type, key string) reflect.Type {
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	for i := 0; i < t.NumField(); i++ {
		if strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0] == key {
			return t.Field(i).Type
		}
	}
	return nil
}

// takes says in words what a key of type t accepts.
func takes(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "see the profile reference in the README"
	}
	switch t.Kind() {
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.String:
		return "one value (text)"
	case reflect.Slice:
		return "a list of " + strings.TrimPrefix(takes(t.Elem()), "one ")
	case reflect.Struct:
		return "a section with the keys " + strings.Join(yamlKeys(t), ", ")
	}
	return "see the profile reference in the README"
}

// maxShown bounds a value quoted back in an error: a 1 MB value is not
// echoed whole on the terminal.
const maxShown = 80

// shortQuote quotes v, cut to maxShown bytes with a note of the rest.
func shortQuote(v string) string {
	if len(v) <= maxShown {
		return strconv.Quote(v)
	}
	end := maxShown
	for end > 0 && !utf8.RuneStart(v[end]) {
		end--
	}
	return fmt.Sprintf("%s… (%d more bytes)", strconv.Quote(v[:end]), len(v)-end)
}

// shortText cuts a message from the YAML library, which may quote a value.
func shortText(s string) string {
	const max = 400
	if len(s) <= max {
		return safetext.Line(s, 0)
	}
	return safetext.Line(s, max)
}

func m2(m []string, i int) string {
	if len(m) > i {
		return m[i]
	}
	return ""
}

// yamlKeys lists the YAML keys of a struct type, sorted.
func yamlKeys(t reflect.Type) []string {
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		tag := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
		if tag != "" && tag != "-" {
			keys = append(keys, tag)
		}
	}
	sort.Strings(keys)
	return keys
}
