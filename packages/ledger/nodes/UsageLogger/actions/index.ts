import { describeOperations } from '../../../common/operation';
import { getStats } from './getStats';
import { log } from './log';
import { report } from './report';

import type { Operation } from '../../../common/operation';

export const operations: Record<string, Operation> = { getStats, log, report };

export const description = describeOperations([getStats, log, report], 'log');
