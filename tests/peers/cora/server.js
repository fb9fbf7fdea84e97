// node-soap serving the Cora SeQuence RPA WSDL on 127.0.0.1, for the interop tests.
//
//   node server.js <port> <wsdl>
//
// SOAP 1.1 is served at /soap11 and SOAP 1.2 at /soap12 (node-soap picks the envelope
// version per listener). FileBatch starts a workflow and answers its id; GetStatus reads the
// workflow from the ActivityMetadata header. Both handlers check the header they receive and
// answer a SOAP fault, in the listener's version, when it is missing or malformed, as they do
// for a robot profile named "unknown-profile" (FileBatch) or a workflow they never started
// (GetStatus).
'use strict';

const fs = require('fs');
const http = require('http');
const soap = require('soap');

const [port, wsdlPath] = process.argv.slice(2);
const wsdl = fs.readFileSync(wsdlPath, 'utf8');

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const INTEGER = /^-?[0-9]+$/;
const FIELDS = [
  ['WorkflowSpaceId', GUID, true],
  ['WorkflowSpaceName', null, false],
  ['WorkflowId', GUID, true],
  ['WorkflowName', null, false],
  ['WorkflowInstanceId', INTEGER, true],
  ['ActivityId', GUID, true],
  ['ActivityName', null, false],
  ['ActivityInstanceId', INTEGER, true],
  ['CallerId', INTEGER, true],
  ['MasterWorkflowInstanceId', INTEGER, true],
];

// Workflows started by FileBatch: id -> the caller's ExternalContext.
const workflows = new Map();
let nextId = 90017;

function fault(soap12, code, reason) {
  if (soap12) {
    return {
      Fault: {
        Code: { Value: code === 'Client' ? 'soap:Sender' : 'soap:Receiver' },
        Reason: { Text: reason },
        statusCode: 500,
      },
    };
  }
  return { Fault: { faultcode: `soap:${code}`, faultstring: reason, statusCode: 500 } };
}

// The ActivityMetadata header, checked field by field; throws a client fault if it is wrong.
function activityMetadata(headers, soap12) {
  const header = headers && headers.ActivityMetadata;
  if (!header) {
    throw fault(soap12, 'Client', 'the ActivityMetadata header is missing');
  }
  const names = Object.keys(header).filter((name) => !name.startsWith('$') && name !== 'attributes');
  const order = FIELDS.map(([name]) => name).filter((name) => names.includes(name));
  if (names.join(',') !== order.join(',')) {
    throw fault(soap12, 'Client', `ActivityMetadata fields out of order: ${names.join(',')}`);
  }
  for (const [name, pattern, required] of FIELDS) {
    const value = header[name];
    if (value === undefined) {
      if (required) {
        throw fault(soap12, 'Client', `ActivityMetadata.${name} is missing`);
      }
      continue;
    }
    if (pattern && !pattern.test(String(value))) {
      throw fault(soap12, 'Client', `ActivityMetadata.${name} is malformed: ${value}`);
    }
  }
  return header;
}

function handlers(soap12) {
  return {
    FileBatch(args, callback, headers) {
      activityMetadata(headers, soap12);
      const file = (name) => {
        const ref = args[name];
        if (!ref || !ref.Connection || !ref.FileName || ref.RelativeLocation === undefined) {
          throw fault(soap12, 'Client', `${name} is not a complete file reference`);
        }
      };
      file('InputFile');
      file('OutputFile');
      if (!INTEGER.test(String(args.TimeOut))) {
        throw fault(soap12, 'Client', `TimeOut is not an integer: ${args.TimeOut}`);
      }
      if (args.RobotProfile === 'unknown-profile') {
        throw fault(soap12, 'Server', 'RobotProfileNotFound: unknown-profile');
      }
      const id = nextId++;
      workflows.set(String(id), args.ExternalContext);
      return { MasterWorkflowInstanceId: id };
    },
    GetStatus(args, callback, headers) {
      const header = activityMetadata(headers, soap12);
      const id = String(header.MasterWorkflowInstanceId);
      if (!workflows.has(id)) {
        throw fault(soap12, 'Client', `workflow ${id} was never started`);
      }
      const result = { Status: 'Completed', ErrorCode: 'NoError' };
      const context = workflows.get(id);
      if (context !== undefined) {
        result.ExternalContext = context;
      }
      return { GetStatusResult: result };
    },
  };
}

function services(soap12) {
  const ports = handlers(soap12);
  return {
    coraRpaIntegration: {
      coraRpaIntegrationSoap: ports,
      coraRpaIntegrationSoap12: ports,
    },
  };
}

const server = http.createServer((req, res) => {
  res.statusCode = 404;
  res.end('no such path');
});
server.listen(Number(port), '127.0.0.1', () => {
  soap.listen(server, { path: '/soap11', services: services(false), xml: wsdl });
  soap.listen(server, {
    path: '/soap12',
    services: services(true),
    xml: wsdl,
    forceSoap12Headers: true,
  });
  console.log(`node-soap ${require('soap/package.json').version} on 127.0.0.1:${port}`);
});
