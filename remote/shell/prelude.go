package shell

// ExchangePrelude loads the Exchange cmdlets the supported way: the Exchange Management
// Shell bootstrap (RemoteExchange.ps1 + Connect-ExchangeServer -auto). It opens a
// Kerberos session to the local /PowerShell endpoint as the logged-on user, so the logon
// must carry network credentials (an SSH key logon does not; see sshshell.KeyAuthNote).
// Loading is skipped when the cmdlets are already present (an EMS console).
func ExchangePrelude() string {
	return `if (-not (Get-Command Get-AuthConfig -ErrorAction SilentlyContinue)) {
  if (-not $env:ExchangeInstallPath) {
    throw 'The Exchange management tools are not installed here ($env:ExchangeInstallPath is empty). Run this on an Exchange server.'
  }
  $ucpilotEap = $ErrorActionPreference
  $ErrorActionPreference = 'Continue'
  . (Join-Path $env:ExchangeInstallPath 'bin\RemoteExchange.ps1')
  Connect-ExchangeServer -auto -ClientApplication:ManagementShell
  $ErrorActionPreference = $ucpilotEap
  if (-not (Get-Command Get-AuthConfig -ErrorAction SilentlyContinue)) {
    throw 'Connect-ExchangeServer did not load the Exchange cmdlets. The logon probably has no network credentials (SSH key logon) or lacks Exchange RBAC rights; log on with a password as an Exchange administrator.'
  }
}`
}

// SfBPrelude loads the Skype for Business Server cmdlets, falling back to the Lync
// Server 2013 module name. Both are local modules; the logon still needs network
// credentials because the cmdlets read AD and the Central Management Store.
func SfBPrelude() string {
	return `if (-not (Get-Command Get-CsOAuthConfiguration -ErrorAction SilentlyContinue)) {
  if (Get-Module -ListAvailable -Name SkypeForBusiness) {
    Import-Module SkypeForBusiness -ErrorAction Stop
  } elseif (Get-Module -ListAvailable -Name Lync) {
    Import-Module Lync -ErrorAction Stop
  } else {
    throw 'Neither the SkypeForBusiness nor the Lync PowerShell module is installed here. Run this on a Front End server or a server with the management tools.'
  }
}`
}
