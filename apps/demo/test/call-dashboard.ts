/** What the dashboard's API answered. */
export interface DashboardAnswer {
  readonly status: number;
  readonly json: Record<string, unknown>;
}

/**
 * Call the dashboard's API: a GET without `body`, a JSON POST with one.
 *
 * @param baseUrl - the dashboard's URL, e.g. `http://127.0.0.1:4310/`
 * @param path - the route, e.g. `/api/network`
 * @param body - the POST body, sent as JSON
 */
export async function callDashboard(baseUrl: string, path: string, body?: unknown): Promise<DashboardAnswer> {
  const response = await fetch(new URL(path, baseUrl), {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}
