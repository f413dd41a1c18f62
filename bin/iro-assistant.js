#!/usr/bin/env node
// Runs the TypeScript command line directly (through tsx), so it works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
