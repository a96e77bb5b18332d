package engine

// Has reports whether id is a check of the plan.
func (p *Plan) Has(id string) bool {
	for _, c := range p.Checks {
		if c.Spec.ID == id {
			return true
		}
	}
	return false
}

// Subset returns a copy of the plan narrowed to the checks ids and,
// transitively, the checks they depend on (a re-run needs their facts:
// addresses, realm) or are gated by (a gated check counts only when its
// gate passes). Ids the plan does not hold are ignored. Every kept check's
// links are cut to kept checks, so the narrowed plan runs as NewPlan's
// would; the plan given is not changed.
func (p *Plan) Subset(ids []string) *Plan {
	byID := make(map[string]Check, len(p.Checks))
	for _, c := range p.Checks {
		byID[c.Spec.ID] = c
	}
	keep := map[string]bool{}
	var visit func(string)
	visit = func(id string) {
		c, ok := byID[id]
		if !ok || keep[id] {
			return
		}
		keep[id] = true
		for _, d := range c.DependsOn {
			visit(d)
		}
		for _, d := range c.GatedBy {
			visit(d)
		}
	}
	for _, id := range ids {
		visit(id)
	}
	kept := func(ids []string) []string {
		var out []string
		for _, id := range ids {
			if keep[id] {
				out = append(out, id)
			}
		}
		return out
	}
	out := *p
	out.Checks = nil
	for _, c := range p.Checks {
		if keep[c.Spec.ID] {
			c.DependsOn, c.GatedBy = kept(c.DependsOn), kept(c.GatedBy)
			out.Checks = append(out.Checks, c)
		}
	}
	return &out
}
