import { LEDGER_SCHEMA_VERSION, readSchemaVersion } from '../../../../core/schema';
import { type LedgerOperation } from '../operation';

export const operation: LedgerOperation<null> = {
	option: {
		name: 'Get Status',
		value: 'getStatus',
		action: 'Get the ledger database version',
		description: 'The schema version of the database and the one these nodes need',
	},
	description: [],
	anySchema: true,
	read: () => null,
	async write(db, inputs) {
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
};
