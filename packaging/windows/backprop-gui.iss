; Inno Setup 6 script: the Windows installer of Backprop GUI.
;
; Wraps the PyInstaller folder dist\backprop-gui\ (built on Windows from
; packaging\backprop_gui.spec) into dist\backprop-gui-<version>-setup.exe: a Start-menu entry,
; an optional desktop icon, .bpnet files opening in the app on a double-click, and an
; uninstaller. Everything is inside the setup file, so it installs without a network.
; Build steps (prerequisites, commands, signing): packaging\README.md.
;
;   iscc /DAppVersion=<version> packaging\windows\backprop-gui.iss
;
; AppVersion comes from pyproject.toml through backprop_gui.__version__ (README shows the
; command); without /DAppVersion it is read from the version resource of the built .exe,
; which backprop_gui.spec writes from the same number.

#define AppName "Backprop GUI"
#define AppExeName "backprop-gui.exe"
#define AppPublisher "Backprop GUI developers"
; The ProgID of .bpnet files; the same reverse-DNS id as the Linux and macOS packages.
#define ProgId "org.backpropgui.BackpropGUI.project"
#define BundleDir AddBackslash(SourcePath) + "..\..\dist\backprop-gui"

#ifndef AppVersion
  #define AppVersion GetFileProductVersionString(BundleDir + "\" + AppExeName)
#endif

[Setup]
; Never change AppId: Windows finds the installed copy (upgrade, uninstall) by it.
AppId={{9F088100-A004-425D-A76E-D49BEC58FECF}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; All users by default (a school's machines); a teacher without admin rights may still install
; for themselves only.
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog commandline
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
ChangesAssociations=yes
OutputDir=..\..\dist
OutputBaseFilename=backprop-gui-{#AppVersion}-setup
SetupIconFile=..\..\build\icons\backprop-gui.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the whole bundle: files a newer version no longer ships must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Comment: "See how a neural network learns, one chain-rule step at a time"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Registry]
; .bpnet → Backprop GUI project, opened by the app. HKA is HKLM for an all-users install and
; HKCU for a per-user one.
Root: HKA; Subkey: "Software\Classes\.bpnet"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.bpnet"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-backprop-gui-project"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.bpnet\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Backprop GUI project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExeName},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExeName}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExeName}\SupportedTypes"; ValueType: string; ValueName: ".bpnet"; ValueData: ""

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent
