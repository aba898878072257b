// Outbox recovery notice: every YTM_MONITOR_INTERVAL_SEC the share is probed in a guarded child (checkShare:
// a hung share is a result, never a frozen bot). When it goes from down to up (confirmed by two consecutive
// checks, see foldShareCheck) and `ytm outbox` (a child) lists files, ONE message goes to
// YTM_SLACK_ALERT_CHANNEL with a "Plan flush" button. The last state seen is
// persisted, so a restart does not announce the same recovery again. Ticks never overlap; the timer is unref'd.
import type { WebClient } from '@slack/web-api';
import { resolvePaths } from '../../lib/paths.js';
import { checkShare } from '../../lib/share/check.js';
import { audit, type BotDeps } from '../deps.js';
import { isOutboxListing, outboxRecoveredView } from '../views/outbox.js';
import { foldShareCheck, loadLastShareState, saveLastShareState } from './share-state.js';

export async function outboxRecoveryTick(deps: BotDeps, client: WebClient): Promise<'announced' | 'quiet'> {
  const paths = resolvePaths(deps.config);
  const probe = await checkShare({
    root: deps.config.YTM_SHARED_STORAGE_ROOT,
    namespace: paths.namespace,
    mountRequired: deps.config.YTM_SHARED_STORAGE_MOUNT_REQUIRED,
    stateDir: deps.stateDir,
  });
  const last = await loadLastShareState(deps.stateDir);
  const { next, recovered } = foldShareCheck(last, probe.state, new Date().toISOString());
  let result: 'announced' | 'quiet' = 'quiet';
  if (recovered && last) {
    deps.log.info({ from: last.state }, 'share is back');
    const channel = deps.config.YTM_SLACK_ALERT_CHANNEL;
    const { done } = deps.jobs.run({ args: ['outbox', '--events'], timeoutMs: deps.settings.jobTimeoutMs });
    const listing = (await done).result;
    if (channel && !isOutboxListing(listing)) {
      // The listing failed: keep the old state so the next tick tries again instead of never announcing.
      deps.log.warn({ from: last.state }, 'share is back but the outbox could not be listed; retrying next check');
      return 'quiet';
    }
    if (channel && isOutboxListing(listing) && listing.count > 0) {
      const view = outboxRecoveredView(listing);
      await client.chat.postMessage({ channel, text: view.text, blocks: view.blocks as never[] });
      audit(deps, 'slack.outbox_recovered', undefined, { channel, files: listing.count, bytes: listing.totalBytes });
      deps.log.info({ channel, files: listing.count }, 'outbox recovery notice posted');
      result = 'announced';
    }
  }
  if (JSON.stringify({ ...last, at: '' }) !== JSON.stringify({ ...next, at: '' })) {
    await saveLastShareState(deps.stateDir, next);
  }
  return result;
}

export function startOutboxRecoveryMonitor(deps: BotDeps, client: WebClient): { stop: () => void } {
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await outboxRecoveryTick(deps, client);
    } catch (err) {
      deps.log.error({ err: (err as Error).message }, 'outbox recovery check failed');
    } finally {
      busy = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), deps.config.YTM_MONITOR_INTERVAL_SEC * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
