// The LaunchAgent and the systemd unit start the compiled bot with the settings the README promises.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `<key>K</key>` followed by its value element, as raw XML. */
function plistValue(xml: string, key: string): string | undefined {
  const m = xml.match(new RegExp(`<key>${key}</key>\\s*(<(\\w+)\\s*/>|<(\\w+)>[\\s\\S]*?</\\3>)`));
  return m?.[1];
}

describe('service files', () => {
  it('the LaunchAgent runs node dist/bot/main.js at load, kept alive, with logs, cwd and a Homebrew PATH', async () => {
    const xml = await readFile(path.join(ROOT, 'manifests/service/com.ytm-ops.bot.plist'), 'utf8');
    expect(plistValue(xml, 'Label')).toBe('<string>com.ytm-ops.bot</string>');
    expect(plistValue(xml, 'RunAtLoad')).toBe('<true/>');
    expect(plistValue(xml, 'KeepAlive')).toContain('<dict>');
    expect(plistValue(xml, 'ProgramArguments')).toMatch(
      /<string>[^<]*\/node<\/string>\s*<string>__REPO__\/dist\/bot\/main\.js<\/string>/,
    );
    expect(plistValue(xml, 'WorkingDirectory')).toBe('<string>__REPO__</string>');
    expect(plistValue(xml, 'StandardOutPath')).toContain('bot.out.log');
    expect(plistValue(xml, 'StandardErrorPath')).toContain('bot.err.log');
    expect(plistValue(xml, 'EnvironmentVariables')).toMatch(/<key>PATH<\/key>\s*<string>[^<]*\/opt\/homebrew\/bin/);
  });

  it('the LaunchAgent does not throttle jobs as Background, does not spin on a config error, and rotates its log', async () => {
    const xml = await readFile(path.join(ROOT, 'manifests/service/com.ytm-ops.bot.plist'), 'utf8');
    // Background is the strongest CPU and I/O throttling and every job child inherits it.
    expect(plistValue(xml, 'ProcessType')).toBe('<string>Standard</string>');
    // Restarts only after a non-zero exit (the bot exits 0 on a configuration error under this Label), at most
    // every 30 s.
    expect(plistValue(xml, 'KeepAlive')).toMatch(/<key>SuccessfulExit<\/key>\s*<false\/>/);
    expect(plistValue(xml, 'ThrottleInterval')).toBe('<integer>30</integer>');
    const env = plistValue(xml, 'EnvironmentVariables') ?? '';
    // Children use the stable Homebrew link, never a versioned Cellar path.
    expect(env).toMatch(/<key>YTM_NODE_BIN<\/key>\s*<string>\/opt\/homebrew\/bin\/node<\/string>/);
    expect(plistValue(xml, 'ProgramArguments')).not.toContain('Cellar');
    expect(env).toMatch(/<key>YTM_LOG_FILE<\/key>\s*<string>__HOME__\/Library\/Logs\/ytm-ops\/bot\.log<\/string>/);
    // The protected folders are named where the file is installed from.
    for (const folder of ['~/Documents', '~/Desktop', '~/Downloads']) expect(xml).toContain(folder);
  });

  it('the systemd user unit runs the same entry, restarts on failure but not on a config error', async () => {
    const unit = await readFile(path.join(ROOT, 'manifests/service/ytm-ops-bot.service'), 'utf8');
    expect(unit).toMatch(/^ExecStart=.*node __REPO__\/dist\/bot\/main\.js$/m);
    expect(unit).toMatch(/^WorkingDirectory=__REPO__$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^RestartPreventExitStatus=78$/m);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
    expect(unit).toMatch(/^WantedBy=default\.target$/m);
  });
});
