package dev.runrelay.archfixtures.misc;

/** Breaks EVERY_CLASS_BELONGS_TO_A_LAYER: in no layer's package. */
public class StrayClass {}
