// Package sshshell runs PowerShell on a Windows server over SSH (Windows OpenSSH), using
// golang.org/x/crypto/ssh. The script travels as one `powershell.exe -NoProfile
// -NonInteractive -EncodedCommand …` line, which survives both cmd.exe (the OpenSSH
// default shell on Windows) and PowerShell as the configured DefaultShell.
//
// Host keys are checked against a known_hosts file: an unknown key is returned as
// *UnknownHostKeyError (show the fingerprint, ask, then AddKnownHost), a changed key as
// *HostKeyChangedError, which is never overridden.
//
// Authentication matters for what the scripts can do: see KeyAuthNote.
package sshshell

// KeyAuthNote is for the UI to show next to the authentication choice. Windows OpenSSH
// logs key-based logins on without network credentials (an S4U logon), so anything that
// makes a second hop — Connect-ExchangeServer's Kerberos session, AD lookups by the
// Exchange and Skype for Business cmdlets — fails after a key login.
const KeyAuthNote = "Windows OpenSSH gives a key-based login no network credentials, so the Exchange " +
	"and Skype for Business cmdlets (which reach Active Directory and the Exchange PowerShell endpoint) " +
	"fail after a key login. Log on with the admin account's password to run them."
