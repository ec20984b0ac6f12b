// mdsp/read-only: Data Hub only reads MindSphere data (seed §8.1); writes go through the REST APIs.
import { DATA_HUB_METHODS } from '../../limits';
import type { Rule } from '../rule';

const WRITE_HEADER = /^x-http-method(?:-override)?$/i;

export const readOnly: Rule = {
  meta: {
    id: 'mdsp/read-only',
    severity: 'error',
    description: 'POST, PUT, PATCH, DELETE or MERGE against Data Hub OData, which is read-only.',
  },
  request(rc, report) {
    const request = rc.request;
    if (request.kind !== 'odata') return;
    const allowed: readonly string[] = DATA_HUB_METHODS.value;
    const message = (method: string) => `Data Hub is read-only: MindSphere rejects ${method} on ${request.entitySet?.name ?? 'an entity set'}. ` +
      'Read with GET here, and create, update or delete through the MindSphere REST APIs (Asset Management, IoT Time Series).';
    if (request.method && !allowed.includes(request.method)) {
      // In code the method comes from the call (`axios.post(url)`): the finding marks the URL string.
      report({ start: request.methodStart ?? request.start, end: request.methodEnd ?? request.end, message: message(request.method) });
    }
    for (const header of request.headers) {
      const method = header.value.toUpperCase();
      if (WRITE_HEADER.test(header.name) && !allowed.includes(method)) {
        report({ start: header.valueStart, end: header.valueEnd, message: message(method) });
      }
    }
  },
};
