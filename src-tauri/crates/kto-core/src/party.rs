//! People and organisations: the parties on every record (inventors, contacts, licensees,
//! investors, partners).

use serde::{Deserialize, Serialize};

use crate::ids::{OrganisationId, PersonId};

/// The kind of an organisation, as the monitor's breakdowns distinguish them (SME, large
/// company, start-up, investor, knowledge institution and so on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum OrganisationKind {
    /// Fewer than 250 staff.
    Sme,
    LargeCompany,
    StartUp,
    Investor,
    /// Regional development agency.
    Rom,
    PublicBody,
    NonProfit,
    KnowledgeInstitution,
}

impl OrganisationKind {
    /// All kinds.
    pub const ALL: [OrganisationKind; 8] = [
        OrganisationKind::Sme,
        OrganisationKind::LargeCompany,
        OrganisationKind::StartUp,
        OrganisationKind::Investor,
        OrganisationKind::Rom,
        OrganisationKind::PublicBody,
        OrganisationKind::NonProfit,
        OrganisationKind::KnowledgeInstitution,
    ];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            OrganisationKind::Sme => "sme",
            OrganisationKind::LargeCompany => "large_company",
            OrganisationKind::StartUp => "start_up",
            OrganisationKind::Investor => "investor",
            OrganisationKind::Rom => "rom",
            OrganisationKind::PublicBody => "public_body",
            OrganisationKind::NonProfit => "non_profit",
            OrganisationKind::KnowledgeInstitution => "knowledge_institution",
        }
    }

    /// The camelCase key, the same as the kind's JSON name; used in monitor breakdowns.
    pub fn key(self) -> &'static str {
        match self {
            OrganisationKind::Sme => "sme",
            OrganisationKind::LargeCompany => "largeCompany",
            OrganisationKind::StartUp => "startUp",
            OrganisationKind::Investor => "investor",
            OrganisationKind::Rom => "rom",
            OrganisationKind::PublicBody => "publicBody",
            OrganisationKind::NonProfit => "nonProfit",
            OrganisationKind::KnowledgeInstitution => "knowledgeInstitution",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> crate::Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.code() == code)
            .ok_or_else(|| crate::Error::UnknownCode {
                what: "organisation kind",
                value: code.to_string(),
            })
    }
}

/// An organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Organisation {
    pub id: OrganisationId,
    pub name: String,
    pub kind: OrganisationKind,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// Dutch chamber-of-commerce number (8 digits), where Dutch.
    pub kvk: Option<String>,
}

/// A person as pickers and lists show them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    pub email: Option<String>,
    pub organisation_id: Option<OrganisationId>,
    pub organisation_name: Option<String>,
    pub faculty: String,
}

/// True when `kvk` is a well-formed KvK number: exactly eight digits.
pub fn is_valid_kvk(kvk: &str) -> bool {
    kvk.len() == 8 && kvk.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_kinds_round_trip_through_their_codes() {
        for k in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::from_code(k.code()).ok(), Some(k));
        }
        assert!(OrganisationKind::from_code("bank").is_err());
    }

    #[test]
    fn organisation_kind_keys_are_their_json_names() {
        for k in OrganisationKind::ALL {
            assert_eq!(
                serde_json::to_value(k).ok(),
                Some(serde_json::Value::from(k.key()))
            );
        }
    }

    #[test]
    fn kvk_numbers_have_eight_digits() {
        assert!(is_valid_kvk("12345678"));
        assert!(!is_valid_kvk("1234567"));
        assert!(!is_valid_kvk("1234567a"));
    }
}
