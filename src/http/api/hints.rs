//! Redaction hints while writing: what in a text about to be posted could identify a
//! customer, a colleague or a deal. Nothing is stored and nothing is logged.

use poem::web::Data;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Enum, Object, OpenApi};

use super::ApiTags;
use super::security::Auth;
use crate::http::error::ApiResult;
use crate::services::hints::{self, Kind};
use crate::state::AppState;

pub struct HintsApi;

#[derive(Object, Debug)]
pub struct HintsRequest {
    /// The text being written: a question, an answer, a comment or an edit (at most 20,000
    /// characters).
    #[oai(validator(max_length = 20000))]
    pub text: String,
}

/// What a hint marks.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[oai(rename_all = "lowercase")]
pub enum HintKind {
    /// An e-mail address.
    Email,
    /// A phone number (German or international format).
    Phone,
    /// An IBAN with a valid checksum.
    Iban,
    /// A web address.
    Url,
    /// A sum of money or a discount next to a name.
    Money,
    /// A company name with its legal form (GmbH, AG, Ltd, Inc, …).
    Company,
    /// A person after a salutation or title (Herr, Frau, Mr, Ms, Dr, Prof).
    Person,
    /// An entry of the caller's company's sensitive-names list.
    Sensitive,
}

impl From<Kind> for HintKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Email => Self::Email,
            Kind::Phone => Self::Phone,
            Kind::Iban => Self::Iban,
            Kind::Url => Self::Url,
            Kind::Money => Self::Money,
            Kind::Company => Self::Company,
            Kind::Person => Self::Person,
            Kind::Sensitive => Self::Sensitive,
        }
    }
}

#[derive(Object, Debug)]
pub struct HintView {
    pub kind: HintKind,
    /// Where the marked words start in `text`, counted in Unicode characters (code points).
    pub start: u32,
    /// Where they end (exclusive), in Unicode characters.
    pub end: u32,
    /// The marked words, as they stand in `text`.
    pub text: String,
}

#[derive(Object, Debug)]
pub struct HintsView {
    /// In text order; empty when nothing was found.
    pub hints: Vec<HintView>,
}

#[derive(ApiResponse)]
enum HintsResponse {
    /// The hints for the text.
    #[oai(status = 200)]
    Ok(Json<HintsView>),
}

#[OpenApi(prefix_path = "/", tag = "ApiTags::Community")]
impl HintsApi {
    /// Redaction hints for a text before it is posted: e-mail addresses, phone numbers,
    /// IBANs, web addresses, companies with a legal form, people after a salutation, the
    /// entries of the caller's company's sensitive-names list, and sums of money or discounts
    /// next to any such name. Only spans of the caller's own text come back; the list itself
    /// is never revealed. Nothing is stored, logged or sent to the company; the author
    /// decides what to take out. For members, trainers and platform admins.
    #[oai(path = "/hints", method = "post")]
    async fn hints(
        &self,
        state: Data<&AppState>,
        auth: Auth,
        body: Json<HintsRequest>,
    ) -> ApiResult<HintsResponse> {
        let text = &body.text;
        let found = hints::preview(&state.db, &auth.viewer(), text).await?;
        let views = found
            .iter()
            .zip(hints::char_offsets(text, &found))
            .map(|(bytes, chars)| HintView {
                kind: bytes.kind.into(),
                start: chars.start as u32,
                end: chars.end as u32,
                text: bytes.text(text).to_owned(),
            })
            .collect();
        Ok(HintsResponse::Ok(Json(HintsView { hints: views })))
    }
}
