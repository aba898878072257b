/** Variables a guard child must never see: Slack credentials and anything that looks like a token or secret. */
export function isSecretEnvName(name: string): boolean {
  const upper = name.toUpperCase();
  return upper.startsWith('SLACK_') || upper.includes('TOKEN') || upper.includes('SECRET');
}

/**
 * The environment for a guard child: `base` without secrets (see `isSecretEnvName`) and without `NODE_OPTIONS`
 * (an inherited `--inspect` or loader would make the tiny child slow or fail).
 */
export function guardChildEnv(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined || isSecretEnvName(name) || name === 'NODE_OPTIONS') continue;
    out[name] = value;
  }
  return out;
}
