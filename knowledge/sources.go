package knowledge

import (
	"net/url"
	"regexp"
	"strings"
)

var reSeedFile = regexp.MustCompile(`\d{3}_[0-9a-f]{16}\.txt`)

// Source is one row of a sources table (assets/sources/*.yaml): the string
// entries cite, and the title and address a reader can follow.
type Source struct {
	// Ref is the exact string in an entry's sources list: a seed:<file>
	// reference or a URL.
	Ref   string `yaml:"ref" json:"ref"`
	Title string `yaml:"title" json:"title"`
	// URL is the public address; for a page that has none any more (an
	// archived library), it may be empty and Title says where to look.
	URL string `yaml:"url" json:"url"`

	file string // the table it came from, for lint messages
}

// Label is what users see: "title — address", or the title alone when
// there is no address.
func (s Source) Label() string {
	switch {
	case s.Title == "":
		return s.URL
	case s.URL == "":
		return s.Title
	}
	return s.Title + " — " + s.URL
}

// Source returns the table row for a cited reference.
func (b *Base) Source(ref string) (Source, bool) {
	if b == nil {
		return Source{}, false
	}
	if b.sourceByRef == nil { // a Base assembled by hand
		for _, s := range b.Sources {
			if s.Ref == ref {
				return s, true
			}
		}
		return Source{}, false
	}
	s, ok := b.sourceByRef[ref]
	return s, ok
}

// SourceLabel returns what users see for a cited reference: its title and
// address from the sources table. A URL missing from the table is shown as
// is; a seed reference missing from it is never shown by file name.
func (b *Base) SourceLabel(ref string) string {
	if s, ok := b.Source(ref); ok {
		return s.Label()
	}
	if strings.HasPrefix(ref, "seed:") {
		return "a source article (not in the sources table)"
	}
	return ref
}

// SourceLabels maps SourceLabel over refs.
func (b *Base) SourceLabels(refs []string) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = b.SourceLabel(r)
	}
	return out
}

// sourceRows checks the sources tables themselves: every row has a ref and a
// title a reader can use, its address (when it has one) is a web address,
// and no title shows an internal file name. A ref listed in two tables is
// fine: the first table in file-name order gives its label.
func (l *linter) sourceRows() {
	for _, s := range l.b.Sources {
		where := "sources table " + s.file
		if s.Ref == "" {
			l.add("%s has a row without ref (title %q)", where, s.Title)
			continue
		}
		where += " row " + s.Ref
		if err := checkSource(s.Ref); err != nil {
			l.add("%s: %v", where, err)
		}
		if strings.TrimSpace(s.Title) == "" {
			l.add("%s has no title: give the page's title as readers see it", where)
		}
		if strings.Contains(s.Title, "seed:") || reSeedFile.MatchString(s.Title) {
			l.add("%s: the title shows an internal file name; use the article's own title", where)
		}
		if s.URL == "" {
			if !strings.HasPrefix(s.Ref, "seed:") {
				l.add("%s has no url: a cited page needs its address", where)
			}
		} else if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			l.add("%s: url %q is not a web address", where, s.URL)
		}
	}
}
