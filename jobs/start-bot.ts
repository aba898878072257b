import { execa } from 'execa';
import { compiledEntry } from '../lib/guard/entry.js';

/**
 * `ytm bot` starts the bot as its own process (bot/main) rather than importing it, so `jobs` never depends on
 * `bot` (DESIGN: bot → jobs → lib). Signals are passed on; the exit code is the bot's.
 */
export async function startBot(): Promise<number> {
  const child = execa(process.execPath, [compiledEntry('bot/main.js')], { stdio: 'inherit', reject: false });
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on('SIGTERM', forward);
  process.on('SIGINT', forward);
  const r = await child;
  return r.exitCode ?? (r.signal ? 128 : 1);
}
