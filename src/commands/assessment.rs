//! `isms-ready rename`, `edit` and `delete` (see `service::assessment`).

use crate::service::AssessmentEdit;
use crate::service::Context;
use crate::service::assessment::{backup_path, delete_with_backup, edit};
use crate::text::inline;
use color_eyre::eyre::{Result, bail};

/// `isms-ready rename`, `isms-ready edit`: changes name, scope, assessor or firm.
pub fn run_edit(
    context: &mut Context,
    assessment: &str,
    changes: AssessmentEdit<'_>,
) -> Result<()> {
    let saved = edit(context, assessment, changes)?;
    outln!(
        "assessment {} \"{}\": scope \"{}\", assessor \"{}\", firm \"{}\"",
        saved.id,
        inline(&saved.name),
        inline(&saved.scope),
        inline(&saved.assessor),
        inline(&saved.firm)
    );
    Ok(())
}

/// `isms-ready delete`: only with `--yes`; prints where the backup went.
pub fn run_delete(context: &mut Context, assessment: &str, yes: bool) -> Result<()> {
    let assessment = context.resolve(assessment)?;
    let backup = backup_path(&context.store, &assessment);
    if !yes {
        bail!(
            "deleting \"{}\" removes all its answers, plan and history; add --yes to confirm (a backup is written to {} first)",
            assessment.name,
            backup.display()
        );
    }
    delete_with_backup(&mut context.store, &context.catalog, &assessment, &backup)?;
    outln!(
        "deleted \"{}\"; backup: {} (`isms-ready import` brings it back)",
        inline(&assessment.name),
        inline(&backup.display().to_string())
    );
    Ok(())
}
