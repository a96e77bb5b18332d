package knowledge

import (
	"bufio"
	"fmt"
	"strconv"
	"strings"
)

// The knowledge base is small: a plain English word that happens to occur
// in one entry ("note", "order", "within") gets as high an idf as an
// error code. A background table of common technical English
// (assets/commonwords.txt, the share of Go standard library files whose
// comments hold each stem) tells the two apart: a query word is weighed
// down the more common it is there. Domain words (mailbox, calendar,
// autodiscover, oauth) are rare in it and keep their weight.

// commonMinShare is the smallest share (per 10,000 files) kept in the table.
const commonMinShare = 30

// Damping: a word in commonFull (per 10,000) of the files or more keeps
// 1-commonDamp of its weight; rarer words are damped in proportion.
var (
	commonFull  = 1500.0
	commonDamp  = 0.6
	commonFloor = 0.3
)

// parseCommonWords reads the table: "stem share" per line, # comments.
func parseCommonWords(data []byte) (map[string]uint16, error) {
	m := map[string]uint16{}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		f := strings.Fields(s)
		if len(f) != 2 {
			return nil, fmt.Errorf("commonwords.txt line %d: want \"stem share\", got %q", line, s)
		}
		n, err := strconv.Atoi(f[1])
		if err != nil || n < 0 || n > 10000 {
			return nil, fmt.Errorf("commonwords.txt line %d: share %q is not 0..10000", line, f[1])
		}
		m[f[0]] = uint16(n)
	}
	return m, sc.Err()
}

// commonFactor is how much of its weight a query word keeps: 1 for a word
// the background does not know as common, down to commonFloor.
func (ix *Index) commonFactor(stem string) float64 {
	share, ok := ix.common[stem]
	if !ok {
		return 1
	}
	return max(commonFloor, 1-commonDamp*min(1, float64(share)/commonFull))
}
