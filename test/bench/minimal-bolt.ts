// The reference for the ack benchmark: a Bolt app that only acks /ytm, wired exactly like the bot
// (explicit SocketModeReceiver, slackApiUrl from SLACK_API_URL).
import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';

const slackApiUrl = process.env.SLACK_API_URL as string;
const receiver = new SocketModeReceiver({
  appToken: process.env.SLACK_APP_TOKEN as string,
  clientPingTimeout: 15_000,
  logLevel: LogLevel.ERROR,
  installerOptions: { clientOptions: { slackApiUrl } },
});
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  receiver,
  clientOptions: { slackApiUrl },
  logLevel: LogLevel.ERROR,
});
app.command('/ytm', async ({ ack }) => {
  await ack();
});
await app.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void app.stop().then(() => process.exit(0));
});
