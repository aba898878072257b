import { describe, expect, it } from 'vitest';
import { type AccessPolicy, accessPolicy, checkAccess } from '../../bot/access.js';
import { dedupeKeys, SeenSet } from '../../bot/dedupe.js';
import { loadConfig } from '../../lib/config.js';

const policy = (p: Partial<AccessPolicy> = {}): AccessPolicy => ({
  allowedUsers: ['U1'],
  allowedChannels: ['C1'],
  teamId: null,
  readonlyOpen: false,
  ...p,
});

describe('accessPolicy', () => {
  const config = (env: Record<string, string>) => {
    const loaded = loadConfig({ YTM_ENV_FILE: '/nonexistent/.env', YTM_WORKSPACE_ROOT: '/tmp/ws', ...env }, '/');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    return loaded.config;
  };

  it("counts the alert channel as allowed, so its alerts' buttons work; no list stays any channel", () => {
    const both = accessPolicy(
      config({ YTM_SLACK_ALLOWED_CHANNELS: 'C0OPS00001', YTM_SLACK_ALERT_CHANNEL: 'C0ALERT01' }),
    );
    expect(both.allowedChannels).toEqual(['C0OPS00001', 'C0ALERT01']);
    const alertButton = { userId: 'U1', channelId: 'C0ALERT01', teamId: undefined };
    expect(checkAccess({ ...both, allowedUsers: ['U1'] }, alertButton, 'run').ok).toBe(true);
    expect(accessPolicy(config({ YTM_SLACK_ALLOWED_CHANNELS: 'C0OPS00001' })).allowedChannels).toEqual(['C0OPS00001']);
    expect(accessPolicy(config({ YTM_SLACK_ALERT_CHANNEL: 'C0ALERT01' })).allowedChannels).toEqual([]);
  });
});

describe('checkAccess', () => {
  it('allows a listed user in a listed channel, refuses others by reason', () => {
    expect(checkAccess(policy(), { userId: 'U1', channelId: 'C1', teamId: 'T1' }, 'run').ok).toBe(true);
    expect(checkAccess(policy(), { userId: 'U2', channelId: 'C1', teamId: 'T1' }, 'read')).toMatchObject({
      ok: false,
      reason: 'user_not_allowed',
    });
    expect(checkAccess(policy(), { userId: 'U1', channelId: 'C2', teamId: 'T1' }, 'read')).toMatchObject({
      ok: false,
      reason: 'channel_not_allowed',
    });
    expect(
      checkAccess(policy({ teamId: 'T9' }), { userId: 'U1', channelId: 'C1', teamId: 'T1' }, 'read'),
    ).toMatchObject({ ok: false, reason: 'team_not_allowed' });
  });

  it('read-only commands may be opened to everyone in allowed channels; mutating ones never', () => {
    const open = policy({ readonlyOpen: true });
    expect(checkAccess(open, { userId: 'U2', channelId: 'C1', teamId: undefined }, 'read').ok).toBe(true);
    expect(checkAccess(open, { userId: 'U2', channelId: 'C1', teamId: undefined }, 'run').ok).toBe(false);
    // Without a channel list, "open" would mean the whole workspace: it does not apply.
    expect(
      checkAccess(
        policy({ readonlyOpen: true, allowedChannels: [] }),
        { userId: 'U2', channelId: 'C5', teamId: undefined },
        'read',
      ).ok,
    ).toBe(false);
  });

  it('Approve/Cancel (decide) get the team and channel rules; the plan decides who, not the allowlist', () => {
    const who = { userId: 'U9', channelId: 'C1', teamId: 'T1' };
    expect(checkAccess(policy({ teamId: 'T1' }), who, 'decide').ok).toBe(true);
    expect(checkAccess(policy({ teamId: 'T9' }), who, 'decide')).toMatchObject({
      ok: false,
      reason: 'team_not_allowed',
    });
    expect(checkAccess(policy(), { ...who, channelId: 'C2' }, 'decide')).toMatchObject({
      ok: false,
      reason: 'channel_not_allowed',
    });
    expect(checkAccess(policy(), { ...who, channelId: undefined }, 'decide').ok).toBe(false);
  });

  it('the Home tab gets the team rule only (it has no channel)', () => {
    expect(checkAccess(policy(), { userId: 'U1', channelId: undefined, teamId: 'T1' }, 'home').ok).toBe(true);
    expect(checkAccess(policy({ teamId: 'T9' }), { userId: 'U1', channelId: undefined, teamId: 'T1' }, 'home').ok).toBe(
      false,
    );
  });

  it('fails closed with no allowlist at all', () => {
    const none = policy({ allowedUsers: [], allowedChannels: [] });
    expect(checkAccess(none, { userId: 'U1', channelId: 'C1', teamId: undefined }, 'read')).toMatchObject({
      ok: false,
      reason: 'no_allowlist',
    });
  });
});

describe('SeenSet', () => {
  it('reports a repeat within the TTL and forgets after it', () => {
    let t = 0;
    const seen = new SeenSet(10 * 60_000, () => t);
    const keys = dedupeKeys('E1', { command: '/ytm', trigger_id: 'TR1' });
    expect(keys).toEqual(['env:E1', 'cmd:TR1']);
    expect(seen.checkAndRemember(keys)).toBe(false);
    t += 9 * 60_000;
    expect(seen.checkAndRemember(['env:E2', 'cmd:TR1'])).toBe(true); // same command, new envelope id
    t += 11 * 60_000;
    expect(seen.checkAndRemember(keys)).toBe(false);
    expect(seen.size).toBe(2);
  });

  it('keys a click by user, action and action_ts', () => {
    expect(
      dedupeKeys(undefined, {
        type: 'block_actions',
        user: { id: 'U1' },
        actions: [{ action_id: 'doctor.rerun', action_ts: '1.2' }],
      }),
    ).toEqual(['action:U1:doctor.rerun:1.2']);
  });
});
