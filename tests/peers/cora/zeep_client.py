"""zeep reads the Cora SeQuence RPA WSDL and calls a running server over both SOAP bindings.

usage: zeep_client.py <wsdl> <soap-1.1-url> <soap-1.2-url>

For each binding: FileBatch with the ActivityMetadata header, then GetStatus with the
header naming the workflow FileBatch started. Prints one JSON object per binding.
"""

import json
import sys

from zeep import Client

NS = "{http://genpact.com/cora/orchestration/rpa/1.0.0/api/}"


def main() -> None:
    wsdl, soap11, soap12 = sys.argv[1:4]
    client = Client(wsdl)
    header_element = client.get_element(NS + "ActivityMetadata")
    for binding, address in (("coraRpaIntegrationSoap", soap11), ("coraRpaIntegrationSoap12", soap12)):
        service = client.create_service(NS + binding, address)
        fields = dict(
            WorkflowSpaceId="0f8fad5b-d9cb-469f-a165-70867728950e",
            WorkflowSpaceName="Claims",
            WorkflowId="7c9e6679-7425-40de-944b-e07fc1f90ae7",
            WorkflowName="Claim intake",
            WorkflowInstanceId=5012,
            ActivityId="16fd2706-8baf-433b-82eb-8c7fada847da",
            ActivityName="Read scanned form",
            ActivityInstanceId=88231,
            CallerId=7,
            MasterWorkflowInstanceId=0,
        )
        reference = {"Connection": "RpaExternalStorage", "RelativeLocation": "in", "FileName": "claim.pdf"}
        started = service.FileBatch(
            TimeOut=60,
            ExternalContext="from zeep",
            RobotProfile="ClaimReader",
            InputFile=reference,
            OutputFile=dict(reference, RelativeLocation="out"),
            _soapheaders=[header_element(**fields)],
        )
        fields["MasterWorkflowInstanceId"] = started
        result = service.GetStatus(_soapheaders=[header_element(**fields)])
        print(
            json.dumps(
                {
                    "binding": binding,
                    "master_workflow_instance_id": started,
                    "status": result.Status,
                    "error_code": result.ErrorCode,
                    "external_context": result.ExternalContext,
                }
            )
        )


if __name__ == "__main__":
    main()
