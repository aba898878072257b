// The alert settings: documented defaults (DESIGN "Alerts": 2 checks to fire and to clear, 4 h reminders, a
// 10 GiB disk margin, 1 h / 24 h silences), overridable, and refused by name when out of range.
import { describe, expect, it } from 'vitest';
import { alertSettings } from '../../bot/alerts/service.js';
import type { BotDeps } from '../../bot/deps.js';
import { silenceLabel } from '../../bot/views/alert.js';
import { loadConfig } from '../../lib/config.js';

const base = { YTM_WORKSPACE_ROOT: '/srv/ws', YTM_ENV_FILE: '/nonexistent/.env' };

function settingsOf(env: Record<string, string>) {
  const r = loadConfig({ ...base, ...env });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return { config: r.config, settings: alertSettings({ config: r.config } as BotDeps) };
}

describe('alert settings', () => {
  it('default to the design: 2 checks, 4 h reminders, 10 GiB margin, 1 h / 24 h silences, doctor every 15 min', () => {
    const { config, settings } = settingsOf({});
    expect(settings).toEqual({
      forChecks: 2,
      clearChecks: 2,
      repeatMs: 4 * 3_600_000,
      diskMarginBytes: 10 * 1024 ** 3,
      silence: { shortMin: 60, longMin: 1440 },
    });
    expect(config.YTM_MONITOR_DOCTOR_EVERY_MIN).toBe(15);
    expect([silenceLabel(settings.silence.shortMin), silenceLabel(settings.silence.longMin)]).toEqual(['1 h', '24 h']);
  });

  it('are overridable (tests and impatient operators shorten them)', () => {
    const { config, settings } = settingsOf({
      YTM_ALERT_FOR_CHECKS: '3',
      YTM_ALERT_CLEAR_CHECKS: '5',
      YTM_ALERT_REPEAT_MIN: '0.5',
      YTM_DISK_CLEAR_MARGIN_GIB: '2',
      YTM_ALERT_SILENCE_SHORT_MIN: '0.05',
      YTM_ALERT_SILENCE_LONG_MIN: '90',
      YTM_MONITOR_DOCTOR_EVERY_MIN: '0',
    });
    expect(settings).toEqual({
      forChecks: 3,
      clearChecks: 5,
      repeatMs: 30_000,
      diskMarginBytes: 2 * 1024 ** 3,
      silence: { shortMin: 0.05, longMin: 90 },
    });
    expect(config.YTM_MONITOR_DOCTOR_EVERY_MIN).toBe(0);
    expect(silenceLabel(90)).toBe('90 min');
  });

  it('refuses values out of range, by name', () => {
    const r = loadConfig({
      ...base,
      YTM_ALERT_FOR_CHECKS: '0',
      YTM_ALERT_CLEAR_CHECKS: '1.5',
      YTM_ALERT_REPEAT_MIN: '0',
      YTM_DISK_CLEAR_MARGIN_GIB: '-1',
      YTM_ALERT_SILENCE_SHORT_MIN: 'soon',
      YTM_ALERT_SILENCE_LONG_MIN: '0',
      YTM_MONITOR_DOCTOR_EVERY_MIN: '-5',
    });
    expect(r.ok ? [] : r.problems.map((p) => p.name).sort()).toEqual(
      [
        'YTM_ALERT_CLEAR_CHECKS',
        'YTM_ALERT_FOR_CHECKS',
        'YTM_ALERT_REPEAT_MIN',
        'YTM_ALERT_SILENCE_LONG_MIN',
        'YTM_ALERT_SILENCE_SHORT_MIN',
        'YTM_DISK_CLEAR_MARGIN_GIB',
        'YTM_MONITOR_DOCTOR_EVERY_MIN',
      ].sort(),
    );
  });
});
