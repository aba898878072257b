// The jobs a stored plan can name. `ytm apply` and the terminal `--run` find the job to execute here.
import type { Job, JobLookup } from '../engine/types.js';
import { mirrorJob } from '../mirror/job.js';
import { outboxFlushJob } from '../outbox/flush.js';
import { storeJob } from '../store/job.js';

const JOBS = new Map<string, Job>([
  [storeJob.name, storeJob as unknown as Job],
  [outboxFlushJob.name, outboxFlushJob as unknown as Job],
  [mirrorJob.name, mirrorJob as unknown as Job],
]);

export const lookupJob: JobLookup = (name) => JOBS.get(name);
