import { join } from 'node:path';

export const auditDir = (stateDir: string) => join(stateDir, 'audit');
export const auditFile = (stateDir: string) => join(auditDir(stateDir), 'audit.jsonl');
export const auditLockFile = (stateDir: string) => join(auditDir(stateDir), 'audit.jsonl.lock');
/** Last appended seq + hash, so that cutting lines off the end is detected too (the chain alone cannot). */
export const auditHeadFile = (stateDir: string) => join(auditDir(stateDir), 'head.json');
