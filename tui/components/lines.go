package components

import (
	"bufio"
	"io"
)

// ReadLines feeds the input's lines to a channel, closed at the end of the
// input, so a question can also end when ctx does (Ctrl+C): a blocked read
// of the terminal cannot be interrupted. At worst the reader goroutine
// outlives the guide, blocked on a terminal the process is leaving.
func ReadLines(r io.Reader) <-chan string {
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return lines
}
