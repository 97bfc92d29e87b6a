use serde::{Deserialize, Serialize};

/// A user as enrichment knows them: `user_id` → `user_email`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
pub struct DirectoryUser {
    pub user_id: String,
    pub email: String,
}

/// An application: `app_id` → `app_name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
pub struct DirectoryApp {
    pub app_id: String,
    pub name: String,
}

/// An admin: `actor_id` → `actor_email`, `actor_role_groups`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
pub struct DirectoryAdmin {
    pub admin_id: String,
    pub email: String,
    #[serde(default)]
    pub role_groups: Vec<String>,
}

/// The body of `POST /directory/v1/import`: any mix of the three, each list optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "service", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DirectoryImport {
    #[serde(default)]
    pub users: Vec<DirectoryUser>,
    #[serde(default)]
    pub apps: Vec<DirectoryApp>,
    #[serde(default)]
    pub admins: Vec<DirectoryAdmin>,
}
