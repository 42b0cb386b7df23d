import { LEDGER_SCHEMA_VERSION, readSchemaVersion } from '../../../../core/schema';
import type { Operation } from '../../../../common/operation';
import { inLedger } from '../../../postgres/pool';

export const operation: Operation<null> = {
	option: {
		name: 'Get Status',
		value: 'getStatus',
		action: 'Get the ledger database version',
		description: 'The schema version of the database and the one these nodes need',
	},
	description: [],
	check: () => null,
	write: inLedger(
		async function (db, inputs) {
			const version = await readSchemaVersion(db);
			return [
				{
					json: {
						version,
						required_version: LEDGER_SCHEMA_VERSION,
						up_to_date: version === LEDGER_SCHEMA_VERSION,
					},
					pairedItem: inputs.map(({ item }) => ({ item })),
				},
			];
		},
		{ anySchema: true },
	),
};
