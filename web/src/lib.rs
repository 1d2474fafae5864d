//! The live editor (being written).
