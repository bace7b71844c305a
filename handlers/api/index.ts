import type { Deps } from '../../src/deps.js';
import { requireAdminToken } from './auth.js';
import { guardRequestText } from './body.js';
import { calendarRoutes } from './calendar.js';
import { categoriesRoutes } from './categories.js';
import { departmentsRoutes } from './departments.js';
import { dutyRoutes } from './duty.js';
import { inboundRoutes } from './inbound.js';
import { itemsRoutes } from './items.js';
import { itemsImportRoutes } from './items-import.js';
import { jobsRoutes } from './jobs.js';
import { apiApp, declareAdminToken } from './openapi.js';
import { outboxRoutes } from './outbox.js';
import { peopleRoutes } from './people.js';
import { recurringRoutes } from './recurring.js';
import { reminderRulesRoutes } from './reminder-rules.js';
import { reportsRoutes } from './reports.js';
import { reportFiguresRoutes, reportYearRoutes } from './reports-figures.js';
import { rulesRoutes } from './rules.js';
import { schedulesRoutes } from './schedules.js';

/**
 * /api/v1: the admin API. Each resource lives in its own file and is mounted here; each route is
 * declared with its schemas (openapi.ts), so the app also yields its OpenAPI document.
 */
export function apiRoutes(deps: Deps) {
  const api = apiApp();
  declareAdminToken(api);
  api.use('*', requireAdminToken(deps.config.adminToken));
  api.use('*', guardRequestText());
  // Resources are mounted below, one line each: api.route('/', departmentsRoutes(deps));
  api.route('/', departmentsRoutes(deps));
  api.route('/', peopleRoutes(deps));
  api.route('/', itemsImportRoutes(deps));
  api.route('/', itemsRoutes(deps));
  api.route('/', calendarRoutes(deps));
  api.route('/', rulesRoutes(deps));
  api.route('/', dutyRoutes(deps));
  api.route('/', schedulesRoutes(deps));
  api.route('/', jobsRoutes(deps));
  api.route('/', recurringRoutes(deps));
  api.route('/', reminderRulesRoutes(deps));
  api.route('/', outboxRoutes(deps));
  api.route('/', inboundRoutes(deps));
  api.route('/', reportsRoutes(deps));
  api.route('/', categoriesRoutes(deps));
  api.route('/', reportFiguresRoutes(deps));
  api.route('/', reportYearRoutes(deps));
  return api;
}
