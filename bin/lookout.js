#!/usr/bin/env node
// Runs the compiled CLI (`npm install` builds it into dist/).
import '../dist/cli/index.js';
