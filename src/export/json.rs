//! The JSON export: the assessment document (see `model::document`) with its figures.

pub use crate::model::document::{
    ASSESSMENT_FORMAT, ASSESSMENT_VERSION, AnswerRecord, AssessmentDocument, AssessmentHeader,
    HistoryRecord, MAX_DOCUMENT_BYTES, StepRecord, max_document_bytes,
};
use crate::model::plan::StepProgress;
use crate::model::{Answers, Assessment, HistoryEntry, Questionnaire};
use crate::score;

/// The document of one assessment with its actions (version 2).
pub fn document_with_actions(
    assessment: &Assessment,
    questionnaire: &Questionnaire,
    answers: &Answers,
    progress: &[StepProgress],
    history: Option<&[HistoryEntry]>,
    actions: &[crate::model::action::Action],
) -> AssessmentDocument {
    let mut document = document(assessment, questionnaire, answers, progress, history);
    document.actions = actions.to_vec();
    document
}

/// The document of one assessment, with the figures as this build scores them (the shape of
/// `summary --json`; for readers only, import scores the answers again).
pub fn document(
    assessment: &Assessment,
    questionnaire: &Questionnaire,
    answers: &Answers,
    progress: &[StepProgress],
    history: Option<&[HistoryEntry]>,
) -> AssessmentDocument {
    let summary = serde_json::to_value(score::summarize(assessment, questionnaire, answers)).ok();
    AssessmentDocument::build(
        assessment,
        questionnaire,
        answers,
        progress,
        history,
        summary,
    )
}
