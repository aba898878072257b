// A stand-in job child for the bot's JobControl: loads its configuration exactly as `ytm` does (loadConfig()
// from its own environment and working directory, YTM_ENV_FILE included) and sends back, as the job
// protocol's result event, its environment and the configuration it ended up with.
import { loadConfig } from '../../../lib/config.js';

const loaded = loadConfig();
const data = { configOk: loaded.ok, config: loaded.ok ? loaded.config : null, env: process.env };
process.stdout.write(`${JSON.stringify({ type: 'result', exitCode: 0, data })}\n`);
