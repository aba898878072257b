// The monitor's snapshots into the alert service.
import { MONITOR_SCHEMA, type MonitorSnapshot } from '../../jobs/monitor/snapshot.js';
import type { BotDeps } from '../deps.js';
import type { Scheduler } from '../schedule/scheduler.js';
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

/**
 * Feeds the alerts from the scheduler's `monitor` job (manifests/schedule.yaml: a `ytm monitor` child every
 * YTM_MONITOR_INTERVAL_SEC, never in the bot process, never two at once) and sends whatever the alert queue
 * still held from before a restart.
 */
export function feedAlertsFromMonitor(deps: BotDeps, alerts: AlertService, scheduler: Scheduler): { stop: () => void } {
  if (scheduler.has('monitor')) scheduler.on('monitor', (r) => ingestMonitorResult(deps, alerts, r.json));
  else deps.log.warn('the schedule manifest has no `monitor` job: no channel alerts will fire');
  void alerts
    .flush()
    .catch((err: unknown) => deps.log.error({ err: (err as Error).message }, 'alert queue flush failed'));
  return { stop: () => alerts.stop() };
}
