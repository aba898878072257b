import { defineConfig } from 'vitest/config';
import { NoSkipsInCi } from './reporters/no-skips-in-ci.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['dist/**', 'node_modules/**'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default', new NoSkipsInCi()],
  },
});
