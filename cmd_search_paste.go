package main

import (
	"fmt"
	"io"
	"strings"
	"time"

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
