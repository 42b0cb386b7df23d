import { modelList, modelsIn, type ListedModel } from '../../core/gateway/routes';
import { readAll, type Exchange } from './exchange';

/**
 * `GET /v1/models`: the models this token may use, in the shape of the API the caller speaks
 * (Anthropic's when it sends `anthropic-version`, as Claude Code does; OpenAI's otherwise). A
 * token limited to some models lists those; any other lists what its upstream offers.
 */
export async function serveModels(ex: Exchange): Promise<void> {
	const wire = ex.header('anthropic-version') !== undefined ? 'anthropic' : 'openai';
	if (!ex.token) {
		await ex.admit(undefined, wire);
		return;
	}
	if ((await ex.ledger(false)) === false || !(await ex.admit(undefined, wire))) return;
	const allowed = ex.auth.allowed_models;
	let models: ListedModel[];
	if (allowed.length) {
		models = allowed.map((id) => ({ id }));
	} else {
		let answer;
		try {
			// Anthropic pages its list 20 at a time unless asked for more.
			const query = ex.auth.upstream_api === 'anthropic' ? 'limit=1000' : undefined;
			answer = await ex.upstream('models', { method: 'GET', query });
		} catch {
			ex.refuse(502, 'upstream_unreachable', 'The provider could not be reached', { wire });
			return;
		}
		const text = (await readAll(answer.body)).toString('utf8');
		if (answer.statusCode >= 400) {
			ex.res.status(answer.statusCode).set(ex.passedHeaders(answer)).send(text);
			return;
		}
		try {
			models = modelsIn(JSON.parse(text));
		} catch {
			ex.refuse(502, 'upstream_unreachable', 'The provider answered its model list with no JSON', {
				wire,
			});
			return;
		}
	}
	ex.res.status(200).json(modelList(wire, models));
}
