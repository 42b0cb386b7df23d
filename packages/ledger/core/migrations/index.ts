import * as initial from './0001_initial';
import * as ledgerOperations from './0002_ledger_operations';
import * as usageWorkflow from './0003_usage_workflow';
import * as costDrift from './0004_cost_drift';
import * as keyRotation from './0005_key_rotation';
import * as limitMirrors from './0006_limit_mirrors';
import * as gatewayRoutes from './0007_gateway_routes';
import * as gatewayEvents from './0008_gateway_events';
import * as billedSource from './0009_billed_source';
import * as anthropicLimits from './0010_anthropic_limits';
import * as webSearches from './0011_web_searches';
import * as linkSecret from './0012_link_secret';
import * as quotaLayers from './0013_quota_layers';

export interface Migration {
	version: number;
	name: string;
	sql: string;
}

/** Every migration in order; a migration's version is its place in this list. */
export const MIGRATIONS: Migration[] = [
	initial,
	ledgerOperations,
	usageWorkflow,
	costDrift,
	keyRotation,
	limitMirrors,
	gatewayRoutes,
	gatewayEvents,
	billedSource,
	anthropicLimits,
	webSearches,
	linkSecret,
	quotaLayers,
].map((migration, index) => ({
	version: index + 1,
	name: migration.name,
	sql: migration.sql,
}));

/** The version these nodes read and write. */
export const LEDGER_SCHEMA_VERSION = MIGRATIONS.length;
