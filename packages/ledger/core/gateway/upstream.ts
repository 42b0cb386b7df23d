/**
 * Where an upstream's endpoint is and how it takes its key. Pure: no n8n import.
 *
 * An upstream's URL is a base: `https://api.openai.com/v1`, Azure OpenAI's v1 API
 * (`https://<resource>.openai.azure.com/openai/v1`) or one of its deployments with its API
 * version (`https://<resource>.openai.azure.com/openai/deployments/<name>?api-version=…`).
 */

/** The endpoint `path` below a base URL that may carry a query (Azure's `?api-version=`). */
export function endpointUrl(baseUrl: string, path: string, query?: string): string {
	const url = new URL(baseUrl);
	url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
	for (const [name, value] of new URLSearchParams(query ?? ''))
		url.searchParams.append(name, value);
	return url.toString();
}

/** Azure OpenAI takes its key in an `api-key` header, not as a bearer token. */
export function isAzureOpenAi(baseUrl: string): boolean {
	try {
		return /\.(openai\.azure\.com|cognitiveservices\.azure\.com)$/.test(new URL(baseUrl).hostname);
	} catch {
		return false;
	}
}
