// Until the scheduler drives the monitor, this timer does: every YTM_MONITOR_INTERVAL_SEC it runs the
// `ytm monitor --json` child through the bot's job runner (never in the bot process; with a timeout; never two
// at once) and hands the snapshot to the alert service. The scheduler replaces exactly this file:
// `scheduler.on('monitor', (r) => ingestMonitorResult(deps, alerts, r.json))`.
import { MONITOR_SCHEMA, type MonitorSnapshot } from '../../jobs/monitor/snapshot.js';
import type { BotDeps } from '../deps.js';
import { doctorTimeoutMs } from '../doctor-run.js';
import type { AlertService } from './service.js';

export function isMonitorSnapshot(v: unknown): v is MonitorSnapshot {
  const s = v as Partial<MonitorSnapshot> | null;
  return !!s && s.schema === MONITOR_SCHEMA && Array.isArray(s.findings) && typeof s.share === 'object';
}

/** A monitor child's JSON into the alert service; anything else is logged and changes no alert. */
export async function ingestMonitorResult(deps: BotDeps, alerts: AlertService, json: unknown): Promise<void> {
  if (!isMonitorSnapshot(json)) {
    deps.log.warn('monitor child gave no snapshot; alerts unchanged this time');
    return;
  }
  await alerts.ingest(json);
}

export function startMonitorTicks(deps: BotDeps, alerts: AlertService): { stop: () => void } {
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      // The monitor may run a full doctor (Hot checks), so it gets the doctor's time limit.
      const start = deps.jobs.run({ args: ['monitor', '--json', '--events'], timeoutMs: doctorTimeoutMs(deps) });
      if (start.busy) {
        deps.log.info({ why: start.busy }, 'monitor check skipped');
        return;
      }
      const outcome = await start.done;
      if (outcome.status !== 'exited') deps.log.warn({ status: outcome.status }, 'monitor child did not finish');
      await ingestMonitorResult(deps, alerts, outcome.result);
    } catch (err) {
      deps.log.error({ err: (err as Error).message }, 'monitor check failed');
    } finally {
      busy = false;
    }
  };
  void alerts
    .flush()
    .catch((err: unknown) => deps.log.error({ err: (err as Error).message }, 'alert queue flush failed'));
  void tick();
  const timer = setInterval(() => void tick(), deps.config.YTM_MONITOR_INTERVAL_SEC * 1000);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      alerts.stop();
    },
  };
}
