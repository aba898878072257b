// The jobs a stored plan can name. `ytm apply` and the terminal `--run` find the job to execute here.
import { archivePublishedJob } from '../archive/job.js';
import type { Job, JobLookup } from '../engine/types.js';
import { fallbackJob } from '../fallback/job.js';
import { mirrorJob } from '../mirror/job.js';
import { outboxFlushJob } from '../outbox/flush.js';
import { relinkJob } from '../relink/job.js';
import { runsArchiveJob, runsRestoreJob } from '../runs/job.js';
import { storeJob } from '../store/job.js';
import { vaultJob } from '../vault/job.js';

const JOBS = new Map<string, Job>([
  [storeJob.name, storeJob as unknown as Job],
  [outboxFlushJob.name, outboxFlushJob as unknown as Job],
  [vaultJob.name, vaultJob as unknown as Job],
  [fallbackJob.name, fallbackJob as unknown as Job],
  [relinkJob.name, relinkJob as unknown as Job],
  [archivePublishedJob.name, archivePublishedJob as unknown as Job],
  [runsArchiveJob.name, runsArchiveJob as unknown as Job],
  [runsRestoreJob.name, runsRestoreJob as unknown as Job],
  [mirrorJob.name, mirrorJob as unknown as Job],
]);

export const lookupJob: JobLookup = (name) => JOBS.get(name);
