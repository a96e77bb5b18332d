package main

import (
	"fmt"
	"sync"

	"github.com/ucpilot/ucpilot/knowledge"
)

// loadKnowledge loads the embedded knowledge base once per process: every
// command (and the TUI or classroom it opens) reads the same Base, which
// nothing changes after loading.
var loadKnowledge = sync.OnceValues(knowledge.Load)

// knowledgeBase is loadKnowledge with the CLI's error: exit 3, nothing ran.
func knowledgeBase() (*knowledge.Base, error) {
	kb, err := loadKnowledge()
	if err != nil {
		return nil, exitWith(3, fmt.Errorf("loading the embedded knowledge base: %w", err))
	}
	return kb, nil
}
