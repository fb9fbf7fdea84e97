//! One-way operations: a WSDL operation without `wsdl:output` is answered by any 2xx with
//! an empty body (WS-I Basic Profile: 202 Accepted) or an envelope whose body is empty.

use crate::{ResponseBody, SoapError};

/// The outcome of a one-way call made with [`Transport::call`](crate::Transport::call):
/// an empty answer or an empty envelope body is success; a fault, an error status, an HTML
/// page or a malformed envelope stays an error.
///
/// # Errors
///
/// The error of `answer`, unless it only says that a 2xx answer had no body.
pub fn one_way(answer: Result<ResponseBody, SoapError>) -> Result<(), SoapError> {
    match answer {
        Ok(_) | Err(SoapError::MissingBody) => Ok(()),
        Err(SoapError::NotXml { snippet }) if snippet.is_empty() => Ok(()),
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SoapVersion, parse_response};

    #[test]
    fn an_empty_answer_or_empty_body_is_accepted() {
        assert!(one_way(parse_response(SoapVersion::V11, b"")).is_ok());
        let empty = br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>"#;
        assert!(one_way(parse_response(SoapVersion::V11, empty)).is_ok());
    }

    #[test]
    fn a_page_or_a_fault_is_still_an_error() {
        let page = one_way(parse_response(SoapVersion::V11, b"Service Unavailable"));
        assert!(matches!(page, Err(SoapError::NotXml { .. })), "{page:?}");
        let fault = br#"<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Server</faultcode><faultstring>no</faultstring></s:Fault></s:Body></s:Envelope>"#;
        let fault = one_way(parse_response(SoapVersion::V11, fault));
        assert!(matches!(fault, Err(SoapError::Fault(_))), "{fault:?}");
    }
}
