#!/usr/bin/env node
// A committed launcher, so installing the workspace can link the command before anything is built.
import '../dist/cli.js';
