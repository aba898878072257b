// Under CI=true a skipped or todo test fails the run. The fault tests skip themselves where they cannot mount
// (not root, no /dev/fuse); CI has both, so a skip there means a test quietly did not run. Every skipped test
// is named, and the exit code is set here because vitest only sets it for failures.
import path from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';

export class NoSkipsInCi implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    if (process.env.CI !== 'true') return;
    // A test left out by `-t <pattern>` is skipped too; it was not asked for, so it does not count.
    const pattern = this.vitest?.config.testNamePattern;
    const skipped: string[] = [];
    for (const m of testModules) {
      for (const t of m.children.allTests()) {
        const r = t.result();
        if (r.state !== 'skipped') continue;
        if (pattern && !pattern.test(t.fullName.replaceAll(' > ', ' '))) continue;
        const why = t.options.mode === 'todo' ? 'todo' : (r.note ?? 'skipped');
        const file = path.relative(this.vitest?.config.root ?? process.cwd(), t.module.moduleId);
        skipped.push(`  ${file} > ${t.fullName} (${why})`);
      }
    }
    if (skipped.length === 0) return;
    const say = (line: string) => (this.vitest ? this.vitest.logger.error(line) : console.error(line));
    say(`\nCI=true: ${skipped.length} test(s) did not run, which fails the run:`);
    for (const line of skipped) say(line);
    process.exitCode = 1;
  }
}
