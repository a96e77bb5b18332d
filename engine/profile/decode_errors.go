package profile

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
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

// explainDecode rewrites the YAML library's errors into what a user can act
// on: the line, the unknown key as written, and the keys that are allowed
// there.
func explainDecode(name string, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return fmt.Errorf("profile %s is not valid YAML: %w", name, err)
	}
	var lines []string
	for _, e := range te.Errors {
		m := unknownField.FindStringSubmatch(e)
		sec, ok := sections[m2(m, 3)]
		if m == nil || !ok {
			lines = append(lines, "  "+e)
			continue
		}
		lines = append(lines, fmt.Sprintf("  line %s: unknown key %s%s (the keys there are: %s)",
			m[1], sec.path, m[2], strings.Join(yamlKeys(sec.typ), ", ")))
	}
	return fmt.Errorf("profile %s has keys ucpilot does not know (a typo?):\n%s", name, strings.Join(lines, "\n"))
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
