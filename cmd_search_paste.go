package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ucpilot/ucpilot/knowledge"
	"github.com/ucpilot/ucpilot/knowledge/paste"
)

// searchRecognized is the JSON shape of what a paste was recognized as,
// beside the results; scripts depend on it.
type searchRecognized struct {
	Summary string        `json:"summary"`
	Forms   []string      `json:"forms"`
	Source  string        `json:"source,omitempty"`
	Fields  []searchField `json:"fields"`
	Codes   []searchCode  `json:"codes"`
	Signal  string        `json:"signal"`
	Token   *searchToken  `json:"token,omitempty"`
}

type searchField struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type searchCode struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

// searchToken is a decoded JWT: its claims, never the token itself.
type searchToken struct {
	Algorithm    string          `json:"algorithm,omitempty"`
	KeyID        string          `json:"key_id,omitempty"`
	Signed       bool            `json:"signed"`
	Issuer       string          `json:"issuer,omitempty"`
	Audience     string          `json:"audience,omitempty"`
	AudienceHost string          `json:"audience_host,omitempty"`
	NameID       string          `json:"nameid,omitempty"`
	AppID        string          `json:"appid,omitempty"`
	AppIDACR     string          `json:"appidacr,omitempty"`
	Realm        string          `json:"realm,omitempty"`
	NotBefore    string          `json:"not_before,omitempty"`
	Expires      string          `json:"expires,omitempty"`
	Findings     []searchFinding `json:"findings"`
	Claims       []searchField   `json:"claims"`
	ActorToken   *searchToken    `json:"actor_token,omitempty"`
}

type searchFinding struct {
	What    string `json:"what"`
	Token   string `json:"token"`
	Problem string `json:"problem"`
}

// askResult is what a query answers: what the paste was, the hits, and
// the codes no entry knows.
type askResult struct {
	Recognized paste.Result
	Hits       []knowledge.Hit
	Unknown    []string
}

// askKB recognizes a paste and searches its signal. A code that no entry
// names is reported as unknown and left out of the search, so "event 32054"
// is not answered with hits on the word "event".
func askKB(kb *knowledge.Base, text string, limit int) askResult {
	res := paste.Recognize(text)
	out := askResult{Recognized: res}
	signal := res.Signal
	for _, c := range res.Codes {
		if knowsCode(kb, c.Value) {
			continue
		}
		label := c.Value
		if c.Kind == paste.KindEvent {
			label = "event " + c.Value
		}
		out.Unknown = append(out.Unknown, label)
		signal = dropCode(signal, c)
	}
	if informative(signal) {
		out.Hits = kb.Search(signal, limit)
	}
	return out
}

// knowsCode reports whether an entry names the code in its own text.
func knowsCode(kb *knowledge.Base, code string) bool {
	low := strings.ToLower(code)
	for _, h := range kb.Search(code, 5) {
		if strings.Contains(strings.ToLower(hitText(h)), low) {
			return true
		}
	}
	return false
}

func hitText(h knowledge.Hit) string {
	var b strings.Builder
	b.WriteString(h.ID + " " + h.Title)
	switch {
	case h.Pitfall != nil:
		p := h.Pitfall
		b.WriteString(" " + strings.Join(p.Symptoms, " ") + " " + p.Cause + " " + p.Fix)
	case h.Step != nil:
		b.WriteString(" " + h.Step.What + " " + h.Step.Why)
	case h.Identifier != nil:
		b.WriteString(" " + h.Identifier.Value + " " + h.Identifier.Where)
	case h.Cmdlet != nil:
		b.WriteString(" " + h.Cmdlet.Does)
	}
	return b.String()
}

// dropCode removes an unknown code (and the word "event" before an event
// number) from the search text.
func dropCode(signal string, c paste.Code) string {
	words := strings.Fields(signal)
	out := words[:0]
	for i, w := range words {
		bare := strings.Trim(w, ".,;:()[]'\"")
		if strings.EqualFold(bare, c.Value) {
			if c.Kind == paste.KindEvent && len(out) > 0 && i > 0 {
				if prev := strings.ToLower(strings.Trim(out[len(out)-1], ".,;:")); prev == "event" || prev == "id" {
					out = out[:len(out)-1]
					if len(out) > 0 && strings.EqualFold(out[len(out)-1], "event") {
						out = out[:len(out)-1]
					}
				}
			}
			continue
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// informative reports whether text holds a word worth searching.
func informative(text string) bool {
	for _, w := range strings.Fields(text) {
		if len(strings.Trim(w, ".,;:()[]'\"-")) >= 2 {
			return true
		}
	}
	return false
}

func toRecognized(r paste.Result, now time.Time) *searchRecognized {
	if len(r.Forms) == 0 && len(r.Codes) == 0 && r.Token == nil {
		return nil
	}
	out := &searchRecognized{Summary: r.Summary(), Forms: r.Forms, Source: r.Source, Signal: r.Signal,
		Fields: []searchField{}, Codes: []searchCode{}}
	if out.Forms == nil {
		out.Forms = []string{}
	}
	for _, f := range r.Fields {
		out.Fields = append(out.Fields, searchField{f.Name, f.Value})
	}
	for _, c := range r.Codes {
		out.Codes = append(out.Codes, searchCode{c.Kind, c.Value})
	}
	if r.Token != nil {
		out.Token = toSearchToken(r.Token, paste.Expect{Now: now})
	}
	return out
}

func toSearchToken(t *paste.Token, e paste.Expect) *searchToken {
	st := &searchToken{Algorithm: t.Algorithm, KeyID: t.KeyID, Signed: t.Signed, Issuer: t.Issuer, Audience: t.Audience,
		AudienceHost: t.AudienceHost(), NameID: t.NameID, AppID: t.AppID, AppIDACR: t.AppIDACR, Realm: t.Realm,
		Findings: []searchFinding{}, Claims: []searchField{}}
	if !t.NotBefore.IsZero() {
		st.NotBefore = t.NotBefore.UTC().Format(time.RFC3339)
	}
	if !t.Expires.IsZero() {
		st.Expires = t.Expires.UTC().Format(time.RFC3339)
	}
	// The actor token is listed with its own findings below.
	for _, f := range t.Check(e) {
		if !strings.HasPrefix(f.What, "actor token ") {
			st.Findings = append(st.Findings, searchFinding{f.What, f.Token, f.Problem})
		}
	}
	for _, c := range t.Claims {
		st.Claims = append(st.Claims, searchField{c.Name, c.Value})
	}
	if t.ActorToken != nil {
		st.ActorToken = toSearchToken(t.ActorToken, e)
	}
	return st
}

// writeRecognizedText prints what the paste was above the results.
func writeRecognizedText(w io.Writer, r paste.Result, rec *searchRecognized, unknown []string) {
	if s := r.Summary(); s != "" {
		fmt.Fprintln(w, s)
	}
	for _, u := range unknown {
		fmt.Fprintf(w, "unknown: %s is a code no entry of the knowledge base knows; it was left out of the search\n", u)
	}
	if rec != nil && rec.Token != nil {
		writeTokenText(w, rec.Token, "token")
	}
	if r.Summary() != "" || len(unknown) > 0 {
		fmt.Fprintln(w)
	}
}

func writeTokenText(w io.Writer, t *searchToken, label string) {
	fmt.Fprintf(w, "\n%s (decoded; the signature is not checked)\n", label)
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(w, "  %-10s %s\n", k, v)
		}
	}
	row("issuer", t.Issuer)
	row("audience", t.Audience)
	row("nameid", t.NameID)
	row("appid", t.AppID)
	row("realm", t.Realm)
	row("valid", strings.TrimSpace(t.NotBefore+" to "+t.Expires))
	for _, f := range t.Findings {
		fmt.Fprintf(w, "  ✗ %s: %s\n", f.What, f.Problem)
	}
	if t.ActorToken != nil {
		writeTokenText(w, t.ActorToken, "actor token")
	}
}
