package shell

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"unicode/utf16"
)

// Command-line limits on Windows. Windows OpenSSH and WinRS start the command through
// cmd.exe, whose line limit is the binding one; a process started directly (localshell)
// only meets CreateProcess's limit.
const (
	CmdExeLimit        = 8191
	CreateProcessLimit = 32767
)

// PowerShellExe is the program named in CommandLine. Windows resolves it on PATH.
const PowerShellExe = "powershell.exe"

// EncodeCommand returns script in the form -EncodedCommand expects: base64 of the
// UTF-16LE bytes, without a byte-order mark. The base64 alphabet survives both cmd.exe
// and PowerShell as a default shell, so no re-quoting happens on the way.
func EncodeCommand(script string) string {
	u := utf16.Encode([]rune(script))
	buf := make([]byte, 2*len(u))
	for i, c := range u {
		binary.LittleEndian.PutUint16(buf[2*i:], c)
	}
	return base64.StdEncoding.EncodeToString(buf)
}

// DecodeCommand reverses EncodeCommand. Fakes and the lab use it to read what a
// transport would have sent.
func DecodeCommand(b64 string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", fmt.Errorf("decode -EncodedCommand: not base64: %w", err)
	}
	if len(raw)%2 != 0 {
		return "", fmt.Errorf("decode -EncodedCommand: %d bytes is not whole UTF-16 code units", len(raw))
	}
	u := make([]uint16, len(raw)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(raw[2*i:])
	}
	return string(utf16.Decode(u)), nil
}

// Args returns the powershell.exe / pwsh arguments that run script, for callers that
// start the process themselves (no shell in between).
func Args(script string) []string {
	return []string{"-NoProfile", "-NonInteractive", "-EncodedCommand", EncodeCommand(script)}
}

// CommandTooLongError says the encoded script does not fit on one command line.
type CommandTooLongError struct {
	Length, Limit int
	ScriptChars   int
}

func (e *CommandTooLongError) Error() string {
	return fmt.Sprintf("the PowerShell command line would be %d characters, over the Windows limit of %d "+
		"(the %d-character script grows about 2.7x when encoded); split the script into smaller runs "+
		"or select fewer properties", e.Length, e.Limit, e.ScriptChars)
}

// CommandLine returns "powershell.exe -NoProfile -NonInteractive -EncodedCommand <b64>",
// the line sent to Windows OpenSSH or WinRS, where cmd.exe usually parses it. It fails
// with *CommandTooLongError past cmd.exe's 8191-character limit.
func CommandLine(script string) (string, error) {
	return commandLine(PowerShellExe, script, CmdExeLimit)
}

// CommandLineWithLimit is CommandLine with another program name and limit (for example
// pwsh and CreateProcessLimit).
func CommandLineWithLimit(program, script string, limit int) (string, error) {
	return commandLine(program, script, limit)
}

func commandLine(program, script string, limit int) (string, error) {
	line := program + " " + strings.Join(Args(script), " ")
	if len(line) > limit {
		return "", &CommandTooLongError{Length: len(line), Limit: limit, ScriptChars: len([]rune(script))}
	}
	return line, nil
}

// ParseCommandLine extracts and decodes the script from a line built by CommandLine
// (or any line with an -EncodedCommand/-enc/-e argument). Fakes and the lab use it.
func ParseCommandLine(line string) (string, error) {
	fields := strings.Fields(line)
	for i, f := range fields {
		switch strings.ToLower(f) {
		case "-encodedcommand", "-enc", "-e", "-ec":
			if i+1 >= len(fields) {
				return "", fmt.Errorf("command line has %s but no value after it", f)
			}
			return DecodeCommand(fields[i+1])
		}
	}
	return "", fmt.Errorf("command line has no -EncodedCommand argument")
}
