// Entry point for the cdktf CLI (`cdktf synth|list|diff|deploy`): builds the App from the registry.
import { buildApp } from './lib/app';
import { STACKS } from './stacks';

buildApp(STACKS).app.synth();
