#!/usr/bin/env node
'use strict';
require('../dist/services/cli/main.js');
