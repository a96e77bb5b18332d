package tui

import "github.com/charmbracelet/bubbles/key"

// guideKeys are the Guide screen's keys. KeyMap embeds them, so they are
// matched and listed like every other binding (k.GuideNext).
type guideKeys struct {
	GuideNext       key.Binding
	GuidePrev       key.Binding
	GuideRun        key.Binding
	GuideRunOff     key.Binding // x when no runner is configured: says how to run it by hand
	GuideVerify     key.Binding
	GuideConfirm    key.Binding
	GuideOverview   key.Binding
	GuideTopologies key.Binding
	GuideReset      key.Binding
}

func defaultGuideKeys() guideKeys {
	b := func(keys []string, helpKey, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(helpKey, desc))
	}
	return guideKeys{
		GuideNext:       b([]string{"n"}, "n", "next step"),
		GuidePrev:       b([]string{"p"}, "p", "prev step"),
		GuideRun:        b([]string{"x"}, "x", "run"),
		GuideRunOff:     b([]string{"x"}, "x", "off: copy (c), run it yourself"),
		GuideVerify:     b([]string{"v"}, "v", "verify"),
		GuideConfirm:    b([]string{"m"}, "m", "confirm by hand"),
		GuideOverview:   b([]string{"o"}, "o", "all steps"),
		GuideTopologies: b([]string{"t"}, "t", "other topology"),
		GuideReset:      b([]string{"R", "ctrl+r"}, "R", "reset progress"),
	}
}

// guideBindings lists the Guide screen's bindings, in help order.
func (k *KeyMap) guideBindings() []*key.Binding {
	return []*key.Binding{&k.GuideNext, &k.GuidePrev, &k.GuideRun, &k.GuideRunOff, &k.GuideVerify,
		&k.GuideConfirm, &k.GuideOverview, &k.GuideTopologies, &k.GuideReset}
}

// guideGroup is the help group of the Guide keys, empty when the session
// has no Guide (the keys are unbound then).
func (k *KeyMap) guideGroup() []keyGroup {
	if len(k.GuideVerify.Keys()) == 0 {
		return nil
	}
	return []keyGroup{{"Guide", k.guideBindings()}}
}
